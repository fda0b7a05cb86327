"""Settings → Apps: an owner creates a private app (re-authenticated), sees its token once,
lists apps with their scopes and last call, and revokes one; both are audited and emailed."""

import pytest
from django.urls import reverse
from django_scopes import scope

from accounts.models import AuditEvent
from common.models import OutboxEmail
from openplatform.models import ShopApp
from openplatform.services import token_hash
from tests.factories import MembershipFactory, sign_in_verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def verified_owner(client, owner):
    sign_in_verified(client, owner)
    return client


def new_url(shop):
    return reverse("openplatform:private_app_new", kwargs={"shop_slug": shop.slug})


def test_creating_a_private_app_shows_the_token_once_and_keeps_only_its_hash(
    verified_owner, shop, owner
):
    response = verified_owner.post(
        new_url(shop), {"name": "Warehouse sync", "scopes": ["products:read", "orders:write"]}
    )
    assert response.status_code == 200
    token = response.context["token"]
    assert token.startswith("scp_") and token in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    with scope(shop=shop):
        app = ShopApp.objects.get()
        assert app.token_hash == token_hash(token)
        assert token not in repr(list(ShopApp.objects.values()))
        assert app.scopes == ["products:read", "orders:write"]
        assert app.created_by == owner
    assert AuditEvent.objects.filter(action="app.authorized", shop_id=shop.pk).count() == 1
    assert OutboxEmail.objects.filter(subject="New app access: Warehouse sync").count() == 1
    # The list never shows the token again, only its hint.
    listing = verified_owner.get(reverse("openplatform:apps", kwargs={"shop_slug": shop.slug}))
    body = listing.content.decode()
    assert "Warehouse sync" in body and "products:read" in body and "never" in body
    assert token not in body and app.token_hint in body


def test_creating_an_app_needs_a_recent_reauthentication(client, shop, owner):
    from accounts.reauth import SESSION_REAUTH_AT

    sign_in_verified(client, owner)
    session = client.session
    session[SESSION_REAUTH_AT] = 0
    session.save()
    response = client.post(new_url(shop), {"name": "X", "scopes": ["shop:read"]})
    assert response.status_code == 302 and "/account/reauthenticate/" in response["Location"]
    with scope(shop=shop):
        assert not ShopApp.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"name": "", "scopes": ["shop:read"]},
        {"name": "No scopes"},
        {"name": "Bad scope", "scopes": ["everything"]},
        {"name": "x" * 101, "scopes": ["shop:read"]},
    ],
)
def test_bad_input_is_refused_with_a_message_and_writes_nothing(verified_owner, shop, data):
    response = verified_owner.post(new_url(shop), data)
    assert response.status_code == 400
    assert response.context["form"].errors
    with scope(shop=shop):
        assert not ShopApp.objects.exists()
    assert not AuditEvent.objects.filter(action="app.authorized").exists()


def test_a_manager_cannot_see_or_create_apps(client, shop):
    manager = MembershipFactory(shop=shop, role="manager").user
    sign_in_verified(client, manager)
    assert (
        client.get(reverse("openplatform:apps", kwargs={"shop_slug": shop.slug})).status_code == 403
    )
    assert client.post(new_url(shop), {"name": "X", "scopes": ["shop:read"]}).status_code == 403


def test_revoke_asks_for_confirmation_then_stops_the_token_at_once(
    verified_owner, shop, owner, make_token, client
):
    created = make_token(shop, owner)
    headers = {"Authorization": f"Bearer {created.token}"}
    assert client.get("/api/v1/shop", headers=headers).status_code == 200
    url = reverse(
        "openplatform:app_revoke", kwargs={"shop_slug": shop.slug, "shop_app_id": created.app.pk}
    )
    confirm = verified_owner.get(url)
    assert confirm.status_code == 200 and "Revoke access" in confirm.content.decode()
    with scope(shop=shop):
        assert ShopApp.objects.get().revoked_at is None  # showing the question revokes nothing
    response = verified_owner.post(url)
    assert response.status_code == 302
    with scope(shop=shop):
        assert ShopApp.objects.get().revoked_at is not None
    assert AuditEvent.objects.filter(action="app.revoked", shop_id=shop.pk).count() == 1
    assert OutboxEmail.objects.filter(subject__startswith="App access revoked").count() == 1
    refused = client.get("/api/v1/shop", headers=headers)
    assert refused.status_code == 401
    assert refused["Content-Type"] == "application/problem+json"
    # Revoking twice says so, and writes nothing more.
    again = verified_owner.post(url)
    assert again.status_code == 409
    assert AuditEvent.objects.filter(action="app.revoked", shop_id=shop.pk).count() == 1
