"""The inactivity countdown banner, the delisted products, and re-listing bringing them back."""

from datetime import datetime, time, timedelta

import pytest
from django_scopes import scope

from catalog.models import Product
from common.clock import local_date, platform_tz
from lifecycle.models import InactivityEpisode
from lifecycle.services.inactivity.sweep import sweep_inactivity
from shops.models import Shop
from tests.browser.conftest import screenshot, sign_in
from tests.factories import MembershipFactory, ShopFactory, listable_product

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def local_noon(days_ago: int) -> datetime:
    return datetime.combine(local_date() - timedelta(days=days_ago), time(12), platform_tz())


def test_countdown_banner_delisted_products_and_relisting(page, password):
    shop = ShopFactory(name="Quiet Corner", slug="quiet")
    owner = MembershipFactory(shop=shop, role="owner", user__email="quiet@seller.test").user
    for title in ("Linen Tote", "Clay Mug"):
        listable_product(shop, status="live", title=title)
    listable_product(shop, status="deactivated", title="Winter Scarf")

    sign_in(page, owner.email, password)
    page.wait_for_url("**/shops/quiet/")
    assert page.locator("#inactivity-banner").count() == 0

    # The session stays open while the shop sits idle: reminded on day 60, two days ago.
    Shop.objects.filter(pk=shop.pk).update(last_activity_at=local_noon(62))
    sweep_inactivity(run_date=local_date() - timedelta(days=2))
    page.reload()
    banner = page.locator("#inactivity-banner")
    assert "inactive for 62 days" in banner.inner_text()
    assert "Every live product will be delisted in 5 days" in banner.inner_text()
    screenshot(page, "lifecycle_countdown_banner")

    # Seven days after the reminder, still idle: the sweep delists every live product.
    Shop.objects.filter(pk=shop.pk).update(last_activity_at=local_noon(67))
    with scope(shop=shop):
        InactivityEpisode.objects.filter(shop=shop).update(
            started_at=local_noon(67), stage_date=local_date() - timedelta(days=7)
        )
    sweep_inactivity(run_date=local_date())
    page.reload()
    assert "Final reminder before a permanent ban in 23 days" in banner.inner_text()
    page.click("nav.sidenav >> text=Products")
    page.wait_for_url("**/shops/quiet/products/")
    assert page.locator("tr:has-text('Linen Tote') .badge").inner_text() == "Delisted"
    assert page.locator("tr:has-text('Winter Scarf') .badge").inner_text() == "Deactivated"
    screenshot(page, "lifecycle_delisted_products")

    page.click("#inactivity-banner >> text=Re-list my store")
    page.wait_for_url("**/shops/quiet/lifecycle/relist/")
    screenshot(page, "lifecycle_relist_page")
    page.click("main button:has-text('Re-list my store')")
    page.wait_for_url("**/shops/quiet/products/")
    assert "2 products are live again" in page.content()
    assert page.locator("tr:has-text('Linen Tote') .badge").inner_text() == "Live"
    assert page.locator("tr:has-text('Clay Mug') .badge").inner_text() == "Live"
    assert page.locator("tr:has-text('Winter Scarf') .badge").inner_text() == "Deactivated"
    assert page.locator("#inactivity-banner").count() == 0
    with scope(shop=shop):
        assert Product.objects.filter(shop=shop, status="live").count() == 2
    shop.refresh_from_db()
    assert shop.in_investigation is False
