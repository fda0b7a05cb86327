"""'Log in with TikTok' through allauth's TikTok provider; TikTok's HTTP API is faked at the
transport (requests' HTTPAdapter.send), so everything above it — allauth's OAuth client, state
checks, our login stages — runs for real."""

import json
from unittest import mock
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from tests.factories import MembershipFactory, UserFactory, enable_two_factor, totp_code

pytestmark = pytest.mark.django_db

TIKTOK = {
    "tiktok": {
        **settings.SOCIALACCOUNT_PROVIDERS["tiktok"],
        "APPS": [{"client_id": "test-client-key", "secret": "test-secret", "key": ""}],
    }
}


class FakeTikTok:
    """Answers the two calls allauth makes: the code→token exchange and the user profile."""

    def __init__(self, open_id="tt-open-id-1"):
        self.open_id = open_id
        self.calls = []

    def send(self, adapter, prepared, **kwargs):
        self.calls.append(prepared)
        url = prepared.url
        if url.startswith("https://open.tiktokapis.com/v2/oauth/token/"):
            body = parse_qs(prepared.body)
            assert body["client_key"] == ["test-client-key"] and body["code"] == ["auth-code-1"]
            payload = {"access_token": "tok-1", "expires_in": 86400, "open_id": self.open_id}
        elif url.startswith("https://open.tiktokapis.com/v2/user/info/"):
            assert prepared.headers["Authorization"] == "Bearer tok-1"
            payload = {"data": {"user": {"open_id": self.open_id, "display_name": "Sunny"}}}
        else:  # pragma: no cover — any other call is a bug in the test or the flow
            raise AssertionError(f"unexpected HTTP call to {url}")
        response = requests.Response()
        response.status_code = 200
        response.headers["Content-Type"] = "application/json"
        response._content = json.dumps(payload).encode()
        response.url = url
        response.request = prepared
        return response


def tiktok_round_trip(client, fake):
    """Start the login, 'approve' at TikTok, come back to the callback."""
    response = client.post(reverse("tiktok_login"))
    authorize = urlsplit(response["Location"])
    assert authorize.netloc == "www.tiktok.com"
    query = parse_qs(authorize.query)
    assert query["client_key"] == ["test-client-key"]
    with mock.patch.object(requests.adapters.HTTPAdapter, "send", autospec=True) as send:
        send.side_effect = fake.send
        return client.get(
            reverse("tiktok_callback"), {"code": "auth-code-1", "state": query["state"][0]}
        )


def test_the_tiktok_button_shows_only_when_configured(client):
    assert "TikTok" not in client.get(reverse("account_login")).content.decode()
    with override_settings(SOCIALACCOUNT_PROVIDERS=TIKTOK):
        page = client.get(reverse("account_login")).content.decode()
        assert "TikTok" in page and reverse("tiktok_login") in page


@override_settings(SOCIALACCOUNT_PROVIDERS=TIKTOK)
def test_a_linked_seller_signs_in_with_tiktok_and_still_gives_the_second_factor(client, shop):
    user = MembershipFactory(shop=shop, user=UserFactory(email="creator@example.com")).user
    SocialAccount.objects.create(user=user, provider="tiktok", uid="tt-open-id-1")
    key, _ = enable_two_factor(user)
    fake = FakeTikTok()

    response = tiktok_round_trip(client, fake)
    assert len(fake.calls) == 2
    assert response["Location"] == reverse("account_second_factor")
    assert "_auth_user_id" not in client.session
    response = client.post(
        reverse("account_second_factor"), {"method": "app", "code": totp_code(key)}
    )
    assert client.session["_auth_user_id"] == str(user.pk)


@override_settings(SOCIALACCOUNT_PROVIDERS=TIKTOK)
def test_a_new_tiktok_user_is_asked_for_an_email_to_verify(client):
    response = tiktok_round_trip(client, FakeTikTok(open_id="tt-new"))
    # TikTok gives no email address: allauth asks for one, then mandatory verification.
    assert response["Location"] == reverse("socialaccount_signup")
    response = client.post(reverse("socialaccount_signup"), {"email": "new@creator.test"})
    assert response.status_code == 302
    account = SocialAccount.objects.get(uid="tt-new")
    assert account.user.email == "new@creator.test"
    assert "_auth_user_id" not in client.session  # until the email is confirmed


@override_settings(SOCIALACCOUNT_PROVIDERS=TIKTOK)
def test_a_forged_state_is_refused(client):
    client.post(reverse("tiktok_login"))
    with mock.patch.object(requests.adapters.HTTPAdapter, "send", autospec=True) as send:
        response = client.get(
            reverse("tiktok_callback"), {"code": "auth-code-1", "state": "forged"}
        )
    assert send.call_count == 0
    assert "_auth_user_id" not in client.session
    assert response.status_code == 401  # allauth's "social network login failure" page
