"""The Marketing pages: each list with its orders and revenue, empty states, CSV exports, and the
role that may open them."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django_scopes import scope

from lifecycle.models import EligibilityEvaluation
from orders.services.fulfillment.cancel import order_cancel
from tests.factories import (
    CampaignFactory,
    CouponFactory,
    DiscountFactory,
    MembershipFactory,
    UserFactory,
)
from tests.marketing.conftest import place
from tests.queries import page_queries

pytestmark = pytest.mark.django_db


def overview(client, shop, tab):
    url = reverse("marketing:overview", kwargs={"shop_slug": shop.slug})
    return client.get(url, {"tab": tab})


def export(client, shop, name):
    response = client.get(reverse(f"marketing:{name}_export", kwargs={"shop_slug": shop.slug}))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.mark.parametrize(
    ("tab", "empty"),
    [
        ("coupons", "No coupons yet"),
        ("discounts", "No discounts yet"),
        ("campaigns", "No products registered"),
    ],
)
def test_each_tab_has_an_empty_state(owner_client, shop, tab, empty):
    response = overview(owner_client, shop, tab)
    assert response.status_code == 200
    assert empty in response.content.decode()


def test_the_nav_item_opens_marketing_and_stays_highlighted(owner_client, shop):
    old = reverse("catalog:marketing", kwargs={"shop_slug": shop.slug})
    assert owner_client.get(old).url == reverse(
        "marketing:overview", kwargs={"shop_slug": shop.slug}
    )
    page = owner_client.get(
        reverse("marketing:coupon_create", kwargs={"shop_slug": shop.slug})
    ).content.decode()
    assert 'class="active" aria-current="page"><span class="icon" aria-hidden="true">✦' in page


def test_coupon_performance_counts_orders_and_revenue_but_not_cancelled_ones(
    owner_client, owner, shop, sku, django_capture_on_commit_callbacks
):
    with scope(shop=shop):
        coupon = CouponFactory(shop=shop, code="PERF", kind="fixed", value=Decimal("2.00"))
        first = place(shop, (sku, 1), coupon_code="PERF", email="a@example.com")
        second = place(shop, (sku, 2), coupon_code="PERF", email="b@example.com")
        cancelled = place(shop, (sku, 1), coupon_code="PERF", email="c@example.com")
        with django_capture_on_commit_callbacks(execute=True):
            order_cancel(shop=shop, actor=owner, order=cancelled, reason="Out of stock")
    revenue = first.total + second.total  # $23 + $43
    assert revenue == Decimal("66.00")

    page = overview(owner_client, shop, "coupons").content.decode()
    assert "<code>PERF</code>" in page and "$66.00" in page
    [row] = export(owner_client, shop, "coupon")
    # The cancelled order gave its use back: uses and orders agree.
    assert (row["code"], row["uses"], row["orders"], row["revenue"]) == (
        "PERF",
        "2",
        "2",
        "66.00",
    )
    assert row["discount given"] == "4.00"
    assert coupon.pk  # the coupon row itself is untouched by the export


def test_discount_and_campaign_exports_attribute_their_orders(owner_client, shop, sku, sku2):
    DiscountFactory(shop=shop, name="Mug days", value=Decimal("20"), products=[sku2.product])
    order = place(shop, (sku2, 2))  # 2 × 12.50 = 25 − 5 + 5 shipping
    [row] = export(owner_client, shop, "discount")
    assert (row["name"], row["orders"], row["revenue"], row["products"]) == (
        "Mug days",
        "1",
        str(order.total),
        "Travel Mug",
    )
    EligibilityEvaluation.objects.create(shop=shop, trigger="on_demand", eligible=True)
    campaign = CampaignFactory(name="Cyber Monday")
    owner_client.post(
        reverse("marketing:campaign_register", kwargs={"shop_slug": shop.slug}),
        {"campaign": campaign.pk, "product": sku.product_id, "campaign_price": "15.00"},
    )
    sold = place(shop, (sku, 1), now=campaign.starts_at)
    [row] = export(owner_client, shop, "campaign")
    assert row["campaign"] == "Cyber Monday" and row["product"] == "Cozy Hoodie"
    assert (row["regular price"], row["campaign price"]) == ("20.00", "15.00")
    assert (row["orders"], row["revenue"]) == ("1", str(sold.total))
    assert "Cyber Monday" in overview(owner_client, shop, "campaigns").content.decode()


def test_csv_cells_cannot_start_a_spreadsheet_formula(owner_client, shop, sku):
    DiscountFactory(shop=shop, name="=HYPERLINK(1)", products=[sku.product])
    [row] = export(owner_client, shop, "discount")
    assert row["name"] == "'=HYPERLINK(1)"


def test_managers_may_use_marketing_but_staff_may_not(client, shop):
    manager = MembershipFactory(shop=shop, role="manager").user
    staff = MembershipFactory(shop=shop, role="staff", user=UserFactory()).user
    client.force_login(manager)
    assert overview(client, shop, "coupons").status_code == 200
    client.force_login(staff)
    assert overview(client, shop, "coupons").status_code == 403
    url = reverse("marketing:coupon_create", kwargs={"shop_slug": shop.slug})
    assert client.post(url, {"code": "STAFF1"}).status_code == 403


@pytest.mark.parametrize("tab", ["coupons", "discounts", "campaigns"])
def test_each_tab_costs_the_same_queries_with_3_or_30_promotions(owner_client, shop, sku, tab):
    from orders.marketing.models import CampaignProduct

    def grow(n):
        for _ in range(n):
            CouponFactory(shop=shop)
            DiscountFactory(shop=shop, products=[sku.product])
            CampaignProduct.objects.create(
                shop=shop, campaign=CampaignFactory(), product=sku.product, campaign_price="9"
            )

    url = reverse("marketing:overview", kwargs={"shop_slug": shop.slug}) + f"?tab={tab}"
    grow(3)
    small = page_queries(owner_client, url)
    grow(27)
    assert page_queries(owner_client, url) == small
