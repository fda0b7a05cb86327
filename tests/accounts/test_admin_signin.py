"""The staff console: second factor required (OTPAdminSite), failed sign-ins throttled."""

import pytest
from django.test import override_settings
from django.urls import reverse

from accounts.models import AuthenticatorDevice
from tests.factories import UserFactory, enable_two_factor, totp_code

pytestmark = pytest.mark.django_db

ADMIN_LOGIN = reverse("admin:login")


@pytest.fixture
def staff():
    return UserFactory(email="ada@staff.test", is_staff=True, is_superuser=True)


def admin_post(client, username, password, *, device=None, token="", ip="198.51.100.7", xff=None):
    headers = {"x-forwarded-for": xff} if xff else {}
    data = {"username": username, "password": password, "otp_token": token, "next": "/admin/"}
    if device is not None:
        data["otp_device"] = device.persistent_id
    return client.post(ADMIN_LOGIN, data, REMOTE_ADDR=ip, headers=headers)


def test_staff_need_their_second_factor_for_the_admin(client, staff, password):
    key, _ = enable_two_factor(staff)
    device = AuthenticatorDevice.objects.get(user=staff)
    # Password alone is not enough.
    response = admin_post(client, staff.email, password)
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    response = admin_post(client, staff.email, password, device=device, token=totp_code(key))
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_password_only_session_does_not_open_the_admin(client, staff):
    enable_two_factor(staff)
    client.force_login(staff)
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith(ADMIN_LOGIN)


def test_staff_signed_in_on_the_seller_sign_in_with_their_code_can_use_the_admin(
    client, staff, password
):
    key, _ = enable_two_factor(staff)
    client.post(reverse("account_login"), {"login": staff.email, "password": password})
    client.post(reverse("account_second_factor"), {"method": "app", "code": totp_code(key)})
    assert client.get("/admin/").status_code == 200


def test_failed_admin_sign_ins_are_throttled_per_account(client, staff, password):
    for _ in range(5):
        admin_post(client, staff.email, "wrong-password-1")
    response = admin_post(client, staff.email, password)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_forged_x_forwarded_for_does_not_dodge_the_ip_limit(client):
    # No trusted proxy: X-Forwarded-For is ignored, the socket address counts.
    statuses = [
        admin_post(
            client, f"nobody{i}@example.com", "wrong-password-1", xff=f"203.0.113.{i}"
        ).status_code
        for i in range(12)
    ]
    assert statuses[:10] == [200] * 10 and statuses[10:] == [429, 429]


@override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=1)
def test_behind_one_proxy_only_the_address_the_proxy_saw_counts(client):
    # The client may prepend anything; the proxy appends the real address last.
    statuses = [
        admin_post(
            client,
            f"nobody{i}@example.com",
            "wrong-password-1",
            ip="10.0.0.2",
            xff=f"203.0.113.{i}, 192.0.2.50",
        ).status_code
        for i in range(12)
    ]
    assert statuses[10:] == [429, 429]
    # A different real client behind the same proxy is not affected.
    response = admin_post(
        client, "someone@example.com", "wrong-password-1", ip="10.0.0.2", xff="192.0.2.51"
    )
    assert response.status_code == 200


def test_seller_sign_in_ignores_a_forged_x_forwarded_for_too(client):
    pages = [
        client.post(
            reverse("account_login"),
            {"login": f"nobody{i}@example.com", "password": "wrong-password-1"},
            headers={"x-forwarded-for": f"203.0.113.{i}"},
        ).content.decode()
        for i in range(12)
    ]
    refused = ["Too many failed login attempts" in page for page in pages]
    assert refused == [False] * 10 + [True, True]


def test_admin_sign_in_does_not_reveal_whether_an_account_exists(client, staff):
    wrong = admin_post(client, staff.email, "wrong-password-1").content.decode()
    unknown = admin_post(client, "nobody@example.com", "wrong-password-1").content.decode()
    marker = "Please enter the correct"
    assert marker in wrong and marker in unknown


def test_the_right_password_without_a_code_does_not_use_up_the_budget(client, staff, password):
    key, _ = enable_two_factor(staff)
    device = AuthenticatorDevice.objects.get(user=staff)
    for _ in range(6):  # the form asks for the device and code after the password
        response = admin_post(client, staff.email, password)
        assert response.status_code == 200 and "_auth_user_id" not in client.session
    response = admin_post(client, staff.email, password, device=device, token=totp_code(key))
    assert response.status_code == 302
