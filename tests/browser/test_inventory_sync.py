"""Settings → Apps → Inventory sync, as an owner would: connect the Shopify store, press
"Sync now", and read what the sync did — against a local fake of the Shopify Admin API."""

import pytest
from django_scopes import scopes_disabled

from catalog.models import SKU
from tests.browser.axe import axe_violations
from tests.browser.conftest import screenshot, sign_in_with_second_factor
from tests.factories import MembershipFactory, ShopFactory, SKUFactory, enable_two_factor
from tests.openplatform.fake_shopify import FakeShopify

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TOKEN = "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"


def test_owner_connects_a_store_and_syncs_its_stock(page, live_server, password, settings):
    shop = ShopFactory(name="Harbor Supply", slug="harbor")
    owner = MembershipFactory(shop=shop, role="owner", user__email="harbor@seller.test").user
    SKUFactory(product__shop=shop, seller_sku="BASKET-1", on_hand=4)
    SKUFactory(product__shop=shop, seller_sku="MUG-1", on_hand=9)
    key, _ = enable_two_factor(owner)  # connecting a store is a sensitive action
    products = [(1, [("BASKET-1", 71), ("MUG-1", 72)]), (2, [("LAMP-9", 73)])]
    with FakeShopify(token=TOKEN, products=products, levels={71: [10, 2], 72: [9]}) as fake:
        settings.SHOPIFY_ADMIN_BASE_URL = fake.base_url
        sign_in_with_second_factor(page, owner.email, password, key)
        page.wait_for_url("**/shops/harbor/")

        page.click("nav.sidenav >> text=Settings")
        page.click("#apps-links a:text-is('Inventory sync')")
        page.click("text=Connect a Shopify store")
        page.fill("input[name=store_domain]", "harbor-supply.myshopify.com")
        page.fill("input[name=access_token]", TOKEN)
        page.click("button:has-text('Connect')")
        page.wait_for_url("**/settings/apps/inventory-sync/")
        assert "not synced yet" in page.locator("#last-sync").inner_text()
        page.click("button:has-text('Sync now')")
        page.wait_for_url("**/settings/apps/inventory-sync/")
        counts = page.locator("#sync-counts").inner_text()
        assert counts == "2 matched · 1 changed · 1 in Shopify but not here"
        assert "LAMP-9" in page.locator("#sync-notes").inner_text()
        screenshot(page, "inventory_sync")

        # Disconnect asks first; keeping it changes nothing, confirming forgets the store.
        page.click("text=Disconnect…")
        assert page.locator("h1").inner_text() == "Disconnect harbor-supply.myshopify.com?"
        assert axe_violations(page) == []
        screenshot(page, "inventory_sync_disconnect")
        page.click("text=Keep it connected")
        assert "harbor-supply.myshopify.com" in page.locator("#inventory-connection").inner_text()
        page.click("text=Disconnect…")
        page.click("button:has-text('Disconnect the store')")
        page.wait_for_url("**/settings/apps/inventory-sync/")
        assert "No store is connected." in page.locator("#inventory-connection").inner_text()
    with scopes_disabled():
        assert SKU.objects.get(seller_sku="BASKET-1").on_hand == 12  # stock stays as synced
        assert SKU.objects.get(seller_sku="MUG-1").on_hand == 9
