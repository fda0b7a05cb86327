"""Settings → leaving: the creator checklist, a data export with progress, the delete checklist."""

import pytest

from tests.browser.conftest import screenshot, sign_in_with_second_factor
from tests.factories import (
    MembershipFactory,
    OrderFactory,
    ProductFactory,
    ShopFactory,
    SKUFactory,
    enable_two_factor,
)
from tests.storage import store_files_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    store_files_in(settings, private=tmp_path)


def test_owner_walks_the_leaving_pages(page, password):
    shop = ShopFactory(name="Harbor Supply", slug="harbor")
    owner = MembershipFactory(shop=shop, role="owner", user__email="harbor@seller.test").user
    SKUFactory(product=ProductFactory(shop=shop, title="Rope Basket"))
    OrderFactory(shop=shop, number="ORD-OPEN-1")

    key, _ = enable_two_factor(owner)  # leaving actions need two-step verification (SPEC §4)
    sign_in_with_second_factor(page, owner.email, password, key)
    page.wait_for_url("**/shops/harbor/")
    page.click("nav.sidenav >> text=Settings")
    page.wait_for_url("**/shops/harbor/settings/")
    page.click("#leaving-links a:text-is('Linked accounts')")
    page.wait_for_selector("#creator-checklist")
    assert "1 order still to fulfil" in page.locator("#creator-checklist").inner_text()
    screenshot(page, "lifecycle_leaving")

    page.click("#export >> text=Data export")
    page.click("button:has-text('Prepare a new export')")
    page.wait_for_selector("table >> text=Download")
    screenshot(page, "lifecycle_export")

    page.goto("/shops/harbor/lifecycle/leaving/delete/")
    assert page.locator("#check-orders").inner_text().startswith("✗")
    assert page.locator("#check-returns").inner_text().startswith("✓")
    assert page.locator("button:has-text('Email me the confirmation link')").count() == 0
    screenshot(page, "lifecycle_delete_checklist")

    page.goto("/shops/harbor/lifecycle/leaving/unlink/")
    screenshot(page, "lifecycle_unlink")
    page.click("button:has-text('Unlink TikTok account')")
    page.wait_for_url("**/shops/harbor/lifecycle/leaving/")
    assert "Unlinked" in page.locator("#linked-accounts").inner_text()
