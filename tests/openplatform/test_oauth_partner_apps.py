"""Partner apps end to end: staff register the app, the owner consents on a shop's page (shop,
app and each scope named in plain words), the app exchanges the code with PKCE, calls the API
for that shop only, refreshes, and revoking (by the app, or in Settings → Apps) gives 401."""

import base64
import hashlib
import secrets
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django_scopes import scope
from oauth2_provider.models import Application

from accounts.models import AuditEvent
from openplatform.models import PartnerApp, ShopApp
from openplatform.scopes import SCOPES
from tests.factories import MembershipFactory, ShopFactory, sign_in_verified

pytestmark = pytest.mark.django_db
REDIRECT = "https://partner.example/callback"
SECRET = "partner-secret-" + "s" * 30


@pytest.fixture
def partner(db):
    app = Application.objects.create(
        name="ShipFast",
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=REDIRECT,
        client_secret=SECRET,
    )
    PartnerApp.objects.create(application=app, scopes=["orders:read", "orders:write"])
    return app


def pkce():
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=")
    return verifier, challenge.decode()


def authorize_query(partner, challenge, scopes, **extra) -> str:
    params = {
        "response_type": "code",
        "client_id": partner.client_id,
        "redirect_uri": REDIRECT,
        "scope": scopes,
        "state": "st-1",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    return urlencode(params | extra)


def consent(client, partner, shop, challenge, scopes="orders:read orders:write"):
    query = authorize_query(partner, challenge, scopes)
    chooser = client.get(f"/oauth/authorize/?{query}")
    assert (
        chooser.status_code == 302
        and f"/shops/{shop.slug}/settings/apps/authorize/" in chooser["Location"]
    )
    page = client.get(chooser["Location"])
    assert page.status_code == 200, page.content
    return page


def allow(client, page):
    form = page.context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data["allow"] = "Authorize"
    answer = client.post(page.wsgi_request.get_full_path(), data)
    assert answer.status_code == 302, answer.content
    params = parse_qs(urlsplit(answer["Location"]).query)
    assert params["state"] == ["st-1"]
    return params["code"][0]


def token_call(client, **data):
    data |= {"client_id": data.get("client_id"), "client_secret": SECRET}
    return client.post("/oauth/token/", data)


def test_authorize_exchange_refresh_revoke_then_401(client, shop, owner, partner, other_shop):
    from tests.factories import OrderFactory

    OrderFactory(shop=shop, number="PARTNER1")
    OrderFactory(shop=other_shop, number="OTHER001")
    sign_in_verified(client, owner)
    verifier, challenge = pkce()
    page = consent(client, partner, shop, challenge)
    text = page.content.decode()
    assert "ShipFast" in text and shop.name in text
    for words in (SCOPES["orders:read"], SCOPES["orders:write"]):
        assert words.split(",")[0] in text
    code = allow(client, page)
    assert AuditEvent.objects.filter(action="app.authorized", shop_id=shop.pk).count() == 1

    no_pkce = token_call(
        client, grant_type="authorization_code", code=code, redirect_uri=REDIRECT,
        client_id=partner.client_id, code_verifier="wrong" * 10,
    )  # fmt: skip
    assert no_pkce.status_code == 400
    page = consent(client, partner, shop, challenge)
    code = allow(client, page)
    tokens = token_call(
        client, grant_type="authorization_code", code=code, redirect_uri=REDIRECT,
        client_id=partner.client_id, code_verifier=verifier,
    ).json()  # fmt: skip
    assert tokens["access_token"] and tokens["refresh_token"]
    api = client.__class__()
    bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
    orders = api.get("/api/v1/orders", headers=bearer)
    assert orders.status_code == 200
    assert [o["number"] for o in orders.json()["items"]] == ["PARTNER1"]  # its shop only
    assert api.get("/api/v1/shop", headers=bearer).status_code == 403  # not a granted scope

    refreshed = token_call(
        client, grant_type="refresh_token", refresh_token=tokens["refresh_token"],
        client_id=partner.client_id,
    ).json()  # fmt: skip
    assert api.get("/api/v1/orders", headers=bearer).status_code == 401  # the old token is gone
    bearer = {"Authorization": f"Bearer {refreshed['access_token']}"}
    assert api.get("/api/v1/orders", headers=bearer).status_code == 200

    revoked = client.post(
        "/oauth/revoke_token/",
        {
            "token": refreshed["access_token"],
            "client_id": partner.client_id,
            "client_secret": SECRET,
        },
    )
    assert revoked.status_code == 200
    assert api.get("/api/v1/orders", headers=bearer).status_code == 401


def test_revoking_in_settings_stops_the_tokens_and_the_refresh(client, shop, owner, partner):
    sign_in_verified(client, owner)
    verifier, challenge = pkce()
    code = allow(client, consent(client, partner, shop, challenge))
    tokens = token_call(
        client, grant_type="authorization_code", code=code, redirect_uri=REDIRECT,
        client_id=partner.client_id, code_verifier=verifier,
    ).json()  # fmt: skip
    with scope(shop=shop):
        shop_app = ShopApp.objects.get(kind="partner")
        assert shop_app.scopes == ["orders:read", "orders:write"]
    listing = client.get(f"/shops/{shop.slug}/settings/apps/").content.decode()
    assert "ShipFast" in listing and "Partner app" in listing
    client.post(f"/shops/{shop.slug}/settings/apps/{shop_app.pk}/revoke/")
    api = client.__class__()
    bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert api.get("/api/v1/orders", headers=bearer).status_code == 401
    again = token_call(
        client, grant_type="refresh_token", refresh_token=tokens["refresh_token"],
        client_id=partner.client_id,
    )  # fmt: skip
    assert again.status_code == 400


def test_an_app_cannot_ask_for_scopes_staff_did_not_give_it(client, shop, owner, partner):
    sign_in_verified(client, owner)
    _, challenge = pkce()
    query = authorize_query(partner, challenge, "products:write")
    answer = client.get(f"/shops/{shop.slug}/settings/apps/authorize/?{query}")
    assert answer.status_code == 302 and "error=invalid_scope" in answer["Location"]
    with scope(shop=shop):
        assert not ShopApp.objects.exists()


def test_a_token_opens_only_the_shop_it_was_authorized_for(client, shop, owner, partner):
    second = ShopFactory(slug="second-shop")
    MembershipFactory(shop=second, user=owner, role="owner")
    sign_in_verified(client, owner)
    verifier, challenge = pkce()
    query = authorize_query(partner, challenge, "orders:read")
    chooser = client.get(f"/oauth/authorize/?{query}")
    assert chooser.status_code == 200 and "second-shop" in chooser.content.decode()
    page = client.get(f"/shops/second-shop/settings/apps/authorize/?{query}")
    code = allow(client, page)
    tokens = token_call(
        client, grant_type="authorization_code", code=code, redirect_uri=REDIRECT,
        client_id=partner.client_id, code_verifier=verifier,
    ).json()  # fmt: skip
    from tests.factories import OrderFactory

    order = OrderFactory(shop=shop)
    api = client.__class__()
    bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert api.get(f"/api/v1/orders/{order.pk}", headers=bearer).status_code == 404
