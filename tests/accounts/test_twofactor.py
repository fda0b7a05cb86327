"""Two-step verification at sign-in (SPEC §4): the stage, each code once, throttling, lock."""

import re
from datetime import timedelta

import pytest
from django.core import mail, serializers
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import (
    AuditEvent,
    AuthenticatorDevice,
    BackupCode,
    BackupCodeDevice,
    EmailCodeDevice,
    SecondFactorGuard,
)
from common.policy import POLICY, policy_override
from tests.factories import MembershipFactory, enable_two_factor, totp_code
from tests.security.urlwalk import seller_url_patterns

pytestmark = pytest.mark.django_db

SECOND_FACTOR = reverse("account_second_factor")


def sign_in_password(client, user, password):
    return client.post(reverse("account_login"), {"login": user.email, "password": password})


def submit_code(client, code, method="app", **extra):
    return client.post(SECOND_FACTOR, {"method": method, "code": code, **extra})


@pytest.fixture
def enrolled(owner):
    key, codes = enable_two_factor(owner)
    return owner, key, codes


def test_password_alone_does_not_sign_in_a_user_with_two_step(client, enrolled, password, shop):
    user, key, _ = enrolled
    response = sign_in_password(client, user, password)
    assert response.status_code == 302 and response["Location"] == SECOND_FACTOR
    assert "_auth_user_id" not in client.session
    page = client.get(SECOND_FACTOR).content.decode()
    assert "Two-step verification" in page and "Email me a code" in page

    response = submit_code(client, totp_code(key))
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    # django-otp records the device: the session counts as verified (the admin relies on it).
    assert client.session["otp_device_id"].startswith("accounts.authenticatordevice/")
    home = client.get(response["Location"], follow=True)
    assert home.redirect_chain[-1][0] == reverse("home", kwargs={"shop_slug": shop.slug})


def test_users_without_two_step_sign_in_with_the_password(client, owner, password):
    response = sign_in_password(client, owner, password)
    assert response["Location"] == reverse("shop_picker")
    assert client.session["_auth_user_id"] == str(owner.pk)


def test_the_session_key_rotates_at_sign_in(client, enrolled, password):
    user, key, _ = enrolled
    client.get(reverse("account_login"))
    sign_in_password(client, user, password)
    between = client.session.session_key
    submit_code(client, totp_code(key))
    after = client.session.session_key
    assert between and after and between != after


def test_no_seller_page_is_served_between_password_and_second_factor(
    client, enrolled, password, shop
):
    """Every seller URL, in both "password only" states: the allauth stage (still anonymous)
    and a signed-in session that never proved its second factor. 0 pages served."""
    user, _, _ = enrolled
    patterns = seller_url_patterns()
    assert len(patterns) > 5

    def request_everything():
        served = []
        for name, params in patterns:
            kwargs = {p: 1 for p in params if p != "shop_slug"}
            url = reverse(name, kwargs={"shop_slug": shop.slug, **kwargs})
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                if response.status_code != 302:
                    served.append((method, url, response.status_code))
                else:
                    yield response["Location"]
        assert served == []

    sign_in_password(client, user, password)
    locations = set(request_everything())
    assert all(loc.startswith(reverse("account_login")) for loc in locations)

    # A session signed in by password only (e.g. open before the user enrolled elsewhere).
    client.logout()
    client.force_login(user)
    locations = set(request_everything())
    assert all(loc.startswith(reverse("account_reauth")) for loc in locations)
    # …and its way back in asks for the password and a code.
    page = client.get(reverse("account_reauth")).content.decode()
    assert 'name="password"' in page and 'name="code"' in page


def test_a_totp_code_works_once(client, enrolled, password):
    user, key, _ = enrolled
    code = totp_code(key)
    sign_in_password(client, user, password)
    submit_code(client, code)
    client.logout()
    AuthenticatorDevice.objects.filter(user=user).update(throttling_failure_count=0)
    sign_in_password(client, user, password)
    response = submit_code(client, code)
    assert response.status_code == 200 and "That code is not right" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_backup_code_works_once(client, enrolled, password):
    user, _, codes = enrolled
    sign_in_password(client, user, password)
    assert submit_code(client, codes[0].lower(), method="backup").status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    assert BackupCodeDevice.objects.get(user=user).remaining() == 9
    client.logout()

    sign_in_password(client, user, password)
    response = submit_code(client, codes[0], method="backup")
    assert "That code is not right" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_emailed_code_is_the_fallback(
    client, enrolled, password, django_capture_on_commit_callbacks
):
    user, _, _ = enrolled
    sign_in_password(client, user, password)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(SECOND_FACTOR, {"method": "email", "send_email": "1"})
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [user.email]
    code = re.search(r"code is (\d{6})", mail.outbox[0].body).group(1)
    # Stored only as a keyed hash.
    assert code not in EmailCodeDevice.objects.get(user=user).code_hash
    assert submit_code(client, code, method="email").status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    client.logout()
    sign_in_password(client, user, password)
    EmailCodeDevice.objects.filter(user=user).update(throttling_failure_count=0)
    assert "That code is not right" in submit_code(client, code, method="email").content.decode()


def test_an_emailed_code_expires(client, enrolled, password, django_capture_on_commit_callbacks):
    user, _, _ = enrolled
    sign_in_password(client, user, password)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(SECOND_FACTOR, {"method": "email", "send_email": "1"})
    code = re.search(r"code is (\d{6})", mail.outbox[-1].body).group(1)
    EmailCodeDevice.objects.filter(user=user).update(
        valid_until=timezone.now() - timedelta(seconds=1)
    )
    assert "That code is not right" in submit_code(client, code, method="email").content.decode()


def test_guessing_is_slowed_down_after_each_wrong_code(client, enrolled, password):
    user, key, _ = enrolled
    sign_in_password(client, user, password)
    submit_code(client, "000000")
    # Right code, but straight after a wrong one: django-otp's back-off refuses to check it.
    response = submit_code(client, totp_code(key))
    assert "Too many wrong codes. Wait a moment" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Once the back-off has passed, the right code works.
    AuthenticatorDevice.objects.filter(user=user).update(
        throttling_failure_timestamp=timezone.now() - timedelta(seconds=5)
    )
    assert submit_code(client, totp_code(key)).status_code == 302


@policy_override(second_factor_throttle_factor=0)
def test_twenty_wrong_codes_lock_two_step_sign_in_and_email_the_user(
    client, enrolled, password, django_capture_on_commit_callbacks
):
    user, key, codes = enrolled
    sign_in_password(client, user, password)
    mail.outbox.clear()
    limit = POLICY.second_factor_lock_after_failures
    assert limit == 20
    for i in range(limit - 1):  # across devices: the count is per person
        submit_code(client, f"{i:06d}" if i % 2 else "WRONG-CODE1", "app" if i % 2 else "backup")
    assert mail.outbox == []
    assert SecondFactorGuard.objects.get(user=user).locked_at is None

    with django_capture_on_commit_callbacks(execute=True):
        response = submit_code(client, "999999")
    assert "locked after too many wrong codes" in response.content.decode()
    assert SecondFactorGuard.objects.get(user=user).locked_at is not None
    assert AuditEvent.objects.filter(action="2fa.locked", target_id=str(user.pk)).count() == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [user.email]
    assert "locked" in mail.outbox[0].subject

    # Locked: even the right codes are refused now, and no second email is sent.
    for method, code in (("app", totp_code(key)), ("backup", codes[1])):
        with django_capture_on_commit_callbacks(execute=True):
            response = submit_code(client, code, method)
        assert "locked after too many wrong codes" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert len(mail.outbox) == 1
    assert BackupCode.objects.filter(device__user=user).count() == 10


@policy_override(second_factor_throttle_factor=0)
def test_a_right_code_resets_the_failure_count(client, enrolled, password):
    user, key, _ = enrolled
    sign_in_password(client, user, password)
    for _ in range(19):
        submit_code(client, "000000")
    assert submit_code(client, totp_code(key)).status_code == 302
    assert SecondFactorGuard.objects.get(user=user).consecutive_failures == 0


def test_a_password_reset_never_skips_the_second_factor(
    client, enrolled, django_capture_on_commit_callbacks
):
    user, key, _ = enrolled
    new_password = "brand-New-pass-2026"
    for login_on_reset in (False, True):
        mail.outbox.clear()
        client.logout()
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("account_reset_password"), {"email": user.email})
        link = re.search(
            r"http://testserver(/accounts/password/reset/key/\S+/)", mail.outbox[0].body
        )
        with override_settings(ACCOUNT_LOGIN_ON_PASSWORD_RESET=login_on_reset):
            form_url = client.get(link.group(1))["Location"]
            response = client.post(form_url, {"password1": new_password, "password2": new_password})
            assert response.status_code == 302
            assert "_auth_user_id" not in client.session
            if login_on_reset:
                assert response["Location"] == SECOND_FACTOR
            else:
                response = client.post(
                    reverse("account_login"), {"login": user.email, "password": new_password}
                )
                assert response["Location"] == SECOND_FACTOR
            assert "_auth_user_id" not in client.session
        new_password += "x"


def test_tokens_from_another_user_never_verify(client, enrolled, password):
    user, _, _ = enrolled
    other = MembershipFactory().user
    other_key, other_codes = enable_two_factor(other)
    sign_in_password(client, user, password)
    assert "That code is not right" in submit_code(client, totp_code(other_key)).content.decode()
    AuthenticatorDevice.objects.filter(user=user).update(throttling_failure_count=0)
    response = submit_code(client, other_codes[0], method="backup")
    assert "That code is not right" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_database_dump_reveals_no_secret(enrolled):
    user, key, codes = enrolled
    device = AuthenticatorDevice.objects.get(user=user)
    assert device.bin_key == key
    dump = serializers.serialize(
        "json",
        [
            *AuthenticatorDevice.objects.all(),
            *BackupCodeDevice.objects.all(),
            *BackupCode.objects.all(),
            *EmailCodeDevice.objects.all(),
        ],
    )
    import base64

    for secret in [key.hex(), base64.b32encode(key).decode().rstrip("=")] + [
        c.replace("-", "") for c in codes
    ]:
        assert secret.lower() not in dump.lower()


def test_the_second_step_cannot_be_reached_or_used_without_the_password(client, enrolled):
    user, key, _ = enrolled
    response = client.get(SECOND_FACTOR)
    assert response.status_code == 302 and response["Location"] == reverse("account_login")
    response = submit_code(client, totp_code(key))
    assert response["Location"] == reverse("account_login")
    assert "_auth_user_id" not in client.session


def test_a_locked_account_is_told_so_at_the_second_step(client, enrolled, password):
    user, _, _ = enrolled
    SecondFactorGuard.objects.create(user=user, consecutive_failures=20, locked_at=timezone.now())
    sign_in_password(client, user, password)
    assert "locked after too many wrong codes" in client.get(SECOND_FACTOR).content.decode()
