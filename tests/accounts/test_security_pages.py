"""Security settings, re-authentication, session ending and account type (SPEC §4)."""

import re
import time

import pytest
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django_otp.oath import totp

from accounts.models import AuditEvent, AuthenticatorDevice, BackupCodeDevice, User
from accounts.reauth import SESSION_REAUTH_AT, sensitive_action_refusal
from accounts.sessions import end_all_sessions
from common.policy import POLICY
from tests.factories import enable_two_factor, totp_code

pytestmark = pytest.mark.django_db


def sign_in_fully(client, user, password, key=None):
    client.post(reverse("account_login"), {"login": user.email, "password": password})
    if key is not None:
        client.post(reverse("account_second_factor"), {"method": "app", "code": totp_code(key)})
    assert client.session["_auth_user_id"] == str(user.pk)


def test_enrolment_by_qr_code_then_backup_codes_shown_once(client, owner, password):
    sign_in_fully(client, owner, password)
    page = client.get(reverse("account_security")).content.decode()
    assert "Turn on two-step verification" in page

    page = client.get(reverse("account_security_authenticator")).content.decode()
    assert 'src="data:image/svg+xml;base64,' in page  # drawn on the server, no third party
    assert not AuthenticatorDevice.objects.filter(
        user=owner
    ).exists()  # showing the QR writes no row
    manual = re.search(r'data-testid="manual-key">([A-Z2-7 ]+)<', page).group(1)
    import base64

    key = base64.b32decode(manual.replace(" ", ""))

    wrong = client.post(reverse("account_security_authenticator"), {"code": "123456"})
    assert "That code is not right" in wrong.content.decode()
    response = client.post(
        reverse("account_security_authenticator"),
        {"code": f"{totp(key):06d}"},
    )
    assert response["Location"] == reverse("account_backup_codes")
    device = AuthenticatorDevice.objects.get(user=owner)
    assert device.confirmed and device.bin_key == key
    assert client.session["otp_device_id"] == device.persistent_id

    page = client.get(reverse("account_backup_codes")).content.decode()
    codes = re.findall(r"<code>([A-Z0-9]{5}-[A-Z0-9]{5})</code>", page)
    assert len(codes) == 10 and len(set(codes)) == 10
    download = client.get(reverse("account_backup_codes_download"))
    assert download["Content-Disposition"].startswith("attachment")
    assert all(code in download.content.decode() for code in codes)
    assert BackupCodeDevice.objects.get(user=owner).remaining() == 10

    # Shown once: after the security page, the codes are gone from the session.
    page = client.get(reverse("account_security")).content.decode()
    assert "10 of 10 left" in page
    assert client.get(reverse("account_backup_codes"))["Location"] == reverse("account_security")
    assert client.get(reverse("account_backup_codes_download")).status_code == 302
    assert AuditEvent.objects.filter(actor=owner, action="2fa.enabled").exists()


def test_sensitive_changes_need_a_recent_reauthentication(client, owner, password):
    key, _ = enable_two_factor(owner)
    sign_in_fully(client, owner, password, key)
    # Just signed in with password + code: recent enough.
    response = client.post(reverse("account_backup_codes_regenerate"))
    assert response["Location"] == reverse("account_backup_codes")

    session = client.session
    session[SESSION_REAUTH_AT] = time.time() - POLICY.reauth_window.total_seconds() - 1
    session.save()
    response = client.post(
        reverse("account_backup_codes_regenerate"),
        headers={"referer": "http://testserver/account/security/"},
    )
    assert response["Location"] == reverse("account_reauth") + "?next=%2Faccount%2Fsecurity%2F"

    before = client.session.session_key
    reauth = reverse("account_reauth") + "?next=/account/security/"
    wrong = client.post(reauth, {"password": "not-my-password", "method": "app", "code": "1"})
    assert "That password is not right" in wrong.content.decode()
    no_code = client.post(reauth, {"password": password, "method": "app", "code": ""})
    assert "Enter the code" in no_code.content.decode()
    response = client.post(
        reauth, {"password": password, "method": "app", "code": totp_code(key, steps_ahead=1)}
    )
    assert response["Location"] == "/account/security/"
    assert client.session.session_key != before  # rotated at re-authentication
    assert client.post(reverse("account_backup_codes_regenerate")).status_code == 302
    assert AuditEvent.objects.filter(action="2fa.backup_codes_regenerated").count() == 2


def test_reauthentication_never_redirects_off_site(client, owner, password):
    sign_in_fully(client, owner, password)
    response = client.post(
        reverse("account_reauth") + "?next=https://evil.example/", {"password": password}
    )
    assert response["Location"] == "/shops/"


def _call(view, user, session_data=None):
    request = RequestFactory().get("/shops/x/settings/bank/")
    request.user = user
    request.session = SessionStore()
    request.session.update(session_data or {})
    request._messages = FallbackStorage(request)
    return view(request)


def test_sensitive_action_needs_two_step_then_a_recent_reauth(owner):
    def bank_details(request):
        return sensitive_action_refusal(request) or HttpResponse("bank")

    response = _call(bank_details, owner, {SESSION_REAUTH_AT: time.time()})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_security_authenticator") + "?next=")

    enable_two_factor(owner)
    response = _call(bank_details, owner, {})
    assert (
        response["Location"]
        == reverse("account_reauth") + "?next=%2Fshops%2Fx%2Fsettings%2Fbank%2F"
    )
    stale = time.time() - POLICY.reauth_window.total_seconds() - 5
    assert _call(bank_details, owner, {SESSION_REAUTH_AT: stale}).status_code == 302
    assert _call(bank_details, owner, {SESSION_REAUTH_AT: time.time()}).content == b"bank"


def test_end_all_sessions_signs_the_user_out_everywhere(client, owner, password, shop):
    from django.test import Client

    other_browser = Client()
    sign_in_fully(client, owner, password)
    other_browser.force_login(owner)
    home = reverse("home", kwargs={"shop_slug": shop.slug})
    assert client.get(home).status_code == 200 and other_browser.get(home).status_code == 200

    end_all_sessions(owner)
    for browser in (client, other_browser):
        response = browser.get(home)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    # Signing in again works.
    sign_in_fully(client, owner, password)
    assert client.get(home).status_code == 200


def test_turning_two_step_off_needs_reauth_and_removes_every_device(client, owner, password):
    key, _ = enable_two_factor(owner)
    sign_in_fully(client, owner, password, key)
    response = client.post(reverse("account_second_factor_disable"))
    assert response["Location"] == reverse("account_security")
    assert not AuthenticatorDevice.objects.filter(user=owner).exists()
    assert not BackupCodeDevice.objects.filter(user=owner).exists()
    assert AuditEvent.objects.filter(actor=owner, action="2fa.disabled").exists()


def test_account_type_switch_lists_what_each_type_unlocks(client, owner, password):
    sign_in_fully(client, owner, password)
    page = client.get(reverse("account_type")).content.decode()
    for label in ("Personal", "Creator", "Business"):
        assert label in page
    assert "Link your TikTok account" in page and "Invite managers and staff" in page
    response = client.post(reverse("account_type"), {"account_type": "business"})
    assert response.status_code == 302
    assert User.objects.get(pk=owner.pk).account_type == "business"
    event = AuditEvent.objects.get(action="account.type_changed")
    assert event.changes == {"account_type": ["personal", "business"]}
    bad = client.post(reverse("account_type"), {"account_type": "emperor"})
    assert bad.status_code == 200 and "errorlist" in bad.content.decode()


def test_security_is_linked_from_the_seller_top_bar(owner_client, shop):
    page = owner_client.get(reverse("home", kwargs={"shop_slug": shop.slug})).content.decode()
    assert f'href="{reverse("account_security")}"' in page


def test_moving_to_a_new_phone_needs_a_recent_reauthentication(client, owner, password):
    key, _ = enable_two_factor(owner)
    sign_in_fully(client, owner, password, key)
    session = client.session
    session[SESSION_REAUTH_AT] = 0
    session.save()
    url = reverse("account_security_authenticator") + "?restart=1"
    response = client.get(url)
    assert response["Location"].startswith(reverse("account_reauth") + "?next=")
    assert AuthenticatorDevice.objects.filter(user=owner).count() == 1


def test_a_password_change_is_audited_and_ends_the_other_sessions(client, owner, password, shop):
    from django.test import Client

    other_browser = Client()
    other_browser.force_login(owner)
    sign_in_fully(client, owner, password)
    new = "another-Good-pass-77"
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": password, "password1": new, "password2": new},
    )
    assert response.status_code == 302
    home = reverse("home", kwargs={"shop_slug": shop.slug})
    assert client.get(home).status_code == 200  # this browser stays signed in
    assert other_browser.get(home).status_code == 302  # the other one is signed out
    assert AuditEvent.objects.filter(actor=owner, action="account.password_changed").exists()


def test_signing_up_with_a_taken_email_looks_like_a_fresh_sign_up(
    client, owner, django_capture_on_commit_callbacks
):
    from django.core import mail

    data = {"password1": "a-Very-good-pass-42", "password2": "a-Very-good-pass-42"}
    with django_capture_on_commit_callbacks(execute=True):
        taken = client.post(reverse("account_signup"), {"email": owner.email, **data})
    fresh = client.post(reverse("account_signup"), {"email": "fresh@example.com", **data})
    assert taken.status_code == fresh.status_code == 302
    assert taken["Location"] == fresh["Location"]
    # The real owner is told by email instead.
    assert any(m.to == [owner.email] for m in mail.outbox)


def test_the_sign_in_verified_helper_opens_protected_views(client, owner, shop):
    from tests.factories import sign_in_verified

    sign_in_verified(client, owner)
    assert client.get(reverse("home", kwargs={"shop_slug": shop.slug})).status_code == 200
    response = client.post(reverse("account_backup_codes_regenerate"))
    assert response["Location"] == reverse("account_backup_codes")
