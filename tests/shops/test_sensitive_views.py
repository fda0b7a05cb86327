"""SPEC §4: payouts, bank details, unlink, deactivate and delete need two-step verification and a
recent re-authentication. Views declare it with ``shop_view(..., sensitive=True)``; tenancy
enforces it for every such URL, found here from the URLconf."""

from urllib.parse import urlencode

import pytest
from django.urls import resolve, reverse

from accounts.reauth import SESSION_REAUTH_AT
from shops.tenancy import SENSITIVE_ATTR
from tests.factories import sign_in_verified
from tests.security.urlwalk import all_patterns, fill

pytestmark = pytest.mark.django_db


def sensitive_urls(shop) -> dict[str, str]:
    found = {}
    for name, params in all_patterns():
        url = fill(name, params, shop) if "shop_slug" in params else None
        if url and getattr(resolve(url).func, SENSITIVE_ATTR, False):
            found[name] = url
    return found


def test_the_sensitive_pages_are_the_money_and_leaving_pages(shop):
    assert set(sensitive_urls(shop)) == {
        "shops:bank_account",
        "orders:finance_withdraw",
        "lifecycle:unlink",
        "lifecycle:deactivate",
        "lifecycle:delete",
        "lifecycle:delete_confirm",
        # Creating or authorizing an app hands out a token to the shop's data.
        "openplatform:private_app_new",
        "openplatform:authorize",
        # Connecting a Shopify store stores its Admin API token (the inventory sync).
        "openplatform:store_connect",
    }


def test_each_sensitive_page_asks_for_a_fresh_reauthentication(client, owner, shop):
    sign_in_verified(client, owner)
    for name, url in sensitive_urls(shop).items():
        session = client.session
        session.pop(SESSION_REAUTH_AT, None)
        session.save()
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 302, (name, method)
            # A GET comes back to this page; a refused POST to the page its form was on.
            assert response["Location"].startswith(reverse("account_reauth") + "?next="), name
        assert (
            client.get(url)["Location"] == f"{reverse('account_reauth')}?{urlencode({'next': url})}"
        )


def test_each_sensitive_page_works_after_reauthentication(client, owner, shop):
    sign_in_verified(client, owner)  # leaves a fresh re-authentication in the session
    for name, url in sensitive_urls(shop).items():
        response = client.get(url)
        location = response.get("Location", "")
        assert response.status_code < 500, name
        assert not location.startswith(reverse("account_reauth")), name
        assert not location.startswith(reverse("account_security_authenticator")), name


def test_an_owner_without_two_step_is_sent_to_set_it_up_and_back(client, owner, shop):
    client.force_login(owner)
    for name, url in sensitive_urls(shop).items():
        response = client.get(url)
        assert response.status_code == 302, name
        assert response["Location"].startswith(
            reverse("account_security_authenticator") + "?next="
        ), name
