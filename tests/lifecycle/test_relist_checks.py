"""Re-listing (SPEC §9.2) applies publishing's listing checks on *available* stock: stock held
for an open order does not bring a product back live."""

import pytest
from django.urls import reverse
from django_scopes import scope

from catalog.models import SKU, Product, ProductStatusChange
from lifecycle.services.leaving import shop_deactivate, shop_reactivate
from lifecycle.services.relist import shop_relist
from shops.models import Shop
from tests.factories import OrderFactory, OrderLineFactory, listable_product
from tests.lifecycle.conftest import make_seller_shop

pytestmark = pytest.mark.django_db


def reserve_for_an_open_order(product: Product, *, on_hand: int, available: int) -> None:
    """``on_hand`` units, all but ``available`` of them held for an order still to ship."""
    sku = SKU.objects.get(product=product)
    order = OrderFactory(shop=product.shop, status="awaiting_shipment")
    OrderLineFactory(order=order, sku=sku, product=product, quantity=on_hand - available)
    SKU.objects.filter(pk=sku.pk).update(on_hand=on_hand, reserved=on_hand - available)


@pytest.mark.parametrize(
    ("available", "status", "reason"),
    [(0, "issues", "Add stock to at least one variant."), (1, "live", "")],
)
def test_relisting_counts_available_stock_not_stock_on_hand(run_sweep, available, status, reason):
    shop = make_seller_shop("Sleepy")
    with scope(shop=shop):
        held = listable_product(shop, status="live", title="Held")
        reserve_for_an_open_order(held, on_hand=3, available=available)
    run_sweep(60)
    run_sweep(67)
    with scope(shop=shop):
        owner = shop.memberships.get(role="owner").user
        assert Product.objects.get(pk=held.pk).status == "delisted"

        shop_relist(shop=shop, actor=owner)

        held.refresh_from_db()
        assert (held.status, held.status_reason, held.delisted_by) == (status, reason, "")
        change = ProductStatusChange.objects.filter(product=held).latest("id")
        assert (change.from_status, change.to_status) == ("delisted", status)
        if reason:
            assert change.reason == reason  # the seller's trail says why it is not live


def test_relisting_applies_every_listing_check_of_publishing(run_sweep):
    """A product that lost its category while delisted (say, a category was retired) fails the
    same check publishing would, and says so."""
    shop = make_seller_shop("Sleepy")
    run_sweep(60)
    run_sweep(67)
    with scope(shop=shop):
        Product.objects.filter(shop=shop, title="Sleepy Live one").update(category=None)
        shop_relist(shop=shop, actor=None)
        statuses = dict(
            Product.objects.filter(shop=shop).values_list("title", "status", named=False)
        )
        one = Product.objects.get(shop=shop, title="Sleepy Live one")
    assert statuses["Sleepy Live one"] == "issues" and statuses["Sleepy Live two"] == "live"
    assert one.status_reason == "Choose a category."


def test_a_shop_on_probation_brings_back_no_more_than_its_live_listing_cap(
    run_sweep, override_policy
):
    override_policy(probation_live_listing_cap=1)
    shop = make_seller_shop("Newish")
    Shop.objects.filter(pk=shop.pk).update(on_probation=True)
    run_sweep(60)
    run_sweep(67)
    shop.refresh_from_db()
    with scope(shop=shop):
        result = shop_relist(shop=shop, actor=None)
        rows = list(Product.objects.filter(shop=shop, title__contains="Live").order_by("pk"))
    assert (result.went_live, result.went_to_issues) == (1, 1)
    assert [p.status for p in rows] == ["live", "issues"]
    assert "on probation: at most 1 products" in rows[1].status_reason


def test_reactivation_uses_the_same_checks(shop, owner):
    with scope(shop=shop):
        held = listable_product(shop, status="live", title="Held")
        reserve_for_an_open_order(held, on_hand=2, available=0)
        shop_deactivate(shop=shop, actor=owner)
        shop_reactivate(shop=shop, actor=owner)
        held.refresh_from_db()
    assert (held.status, held.status_reason) == ("issues", "Add stock to at least one variant.")


def test_the_relist_page_reports_what_went_to_issues(client, run_sweep):
    shop = make_seller_shop("Sleepy")
    with scope(shop=shop):
        held = listable_product(shop, status="live", title="Held")
        reserve_for_an_open_order(held, on_hand=1, available=0)
    run_sweep(60)
    run_sweep(67)
    client.force_login(shop.memberships.get(role="owner").user)
    response = client.post(
        reverse("lifecycle:relist", kwargs={"shop_slug": shop.slug}), follow=True
    )
    page = response.content.decode()
    assert "2 products are live again" in page and "1 need attention" in page
