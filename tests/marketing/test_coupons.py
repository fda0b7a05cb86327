"""Coupons at checkout (SPEC §8): code, percentage or fixed, minimum spend, validity window and
usage limits in total and per buyer — each rule at its boundary, with the buyer's message."""

import json
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from common.clock import platform_tz
from common.errors import BadInput, Refused
from orders.marketing.models import Coupon, OrderPromotion
from orders.models import Order
from tests.factories import CouponFactory, DiscountFactory
from tests.marketing.conftest import place

pytestmark = pytest.mark.django_db


def test_percentage_coupon_comes_off_the_items_and_is_recorded_on_the_order(shop, sku):
    with scope(shop=shop):
        coupon = CouponFactory(shop=shop, code="WELCOME10", kind="percent", value=Decimal("10"))
        order = place(shop, (sku, 2), coupon_code="welcome10")  # any case
        # 2 × $20 = $40 items, 10% = $4; shipping $5 (CA flat) is not discounted.
        assert (order.subtotal, order.shipping_fee, order.discount) == (
            Decimal("40.00"),
            Decimal("5.00"),
            Decimal("4.00"),
        )
        assert order.total == Decimal("41.00")
        promo = OrderPromotion.objects.get(order=order)
    assert (promo.kind, promo.coupon_id, promo.amount) == ("coupon", coupon.pk, Decimal("4.00"))
    coupon.refresh_from_db()
    assert coupon.uses == 1


def test_fixed_coupon_never_takes_more_than_the_items_cost(shop, sku):
    CouponFactory(shop=shop, code="BIG", kind="fixed", value=Decimal("50.00"))
    order = place(shop, (sku, 1), coupon_code="BIG")
    assert order.discount == Decimal("20.00")
    assert order.total == order.shipping_fee == Decimal("5.00")


def test_unknown_code_is_refused_with_its_name_and_nothing_is_written(shop, sku):
    with scope(shop=shop):
        with pytest.raises(BadInput, match="There is no coupon “NOPE” at Alpha Goods"):
            place(shop, (sku, 1), coupon_code="nope")
        assert not Order.objects.filter(shop=shop).exists()


def test_a_coupon_of_another_shop_does_not_exist_here(shop, other_shop, sku):
    CouponFactory(shop=other_shop, code="THEIRS")
    with pytest.raises(BadInput, match="no coupon"):
        place(shop, (sku, 1), coupon_code="THEIRS")


def test_validity_window_boundaries(shop, sku):
    now = timezone.now()
    CouponFactory(shop=shop, code="LATER", starts_at=now + timedelta(minutes=1))
    CouponFactory(shop=shop, code="GONE", starts_at=now - timedelta(days=2), ends_at=now)
    with pytest.raises(Refused, match="LATER can be used from"):
        place(shop, (sku, 1), coupon_code="LATER")
    with pytest.raises(Refused, match="GONE has expired"):
        place(shop, (sku, 1), coupon_code="GONE")


def test_minimum_spend_counts_the_items_after_sale_prices(shop, sku):
    CouponFactory(shop=shop, code="MIN40", min_spend=Decimal("40.00"))
    assert place(shop, (sku, 2), coupon_code="MIN40").discount == Decimal("4.00")  # exactly 40
    DiscountFactory(shop=shop, value=Decimal("10"), products=[sku.product])  # now $18 each
    with pytest.raises(Refused, match=r"minimum spend of \$40.00; your items come to \$36.00"):
        place(shop, (sku, 2), coupon_code="MIN40", email="other@example.com")


def test_total_usage_limit_then_used_up(shop, sku):
    coupon = CouponFactory(shop=shop, code="TWO", usage_limit=2)
    place(shop, (sku, 1), coupon_code="TWO", email="a@example.com")
    place(shop, (sku, 1), coupon_code="TWO", email="b@example.com")
    with pytest.raises(Refused, match="TWO has been used up"):
        place(shop, (sku, 1), coupon_code="TWO", email="c@example.com")
    coupon.refresh_from_db()
    assert coupon.uses == 2


def test_per_buyer_limit_is_per_email_address_in_any_case(shop, sku):
    coupon = CouponFactory(shop=shop, code="ONCE", per_buyer_limit=1)
    place(shop, (sku, 1), coupon_code="ONCE", email="Bea@Example.com")
    with pytest.raises(Refused, match="once per buyer"):
        place(shop, (sku, 1), coupon_code="ONCE", email="bea@example.com")
    place(shop, (sku, 1), coupon_code="ONCE", email="sam@example.com")
    coupon.refresh_from_db()
    assert coupon.uses == 2  # the refused attempt gave its use back


def test_the_coupon_row_is_locked_last(shop, sku):
    """Every checkout with a popular coupon queues for its row until the holder commits: the
    use is taken after the order, its lines and its stock, not before them."""
    CouponFactory(shop=shop, code="LATE", usage_limit=5, per_buyer_limit=1)
    with CaptureQueriesContext(connection) as queries:
        place(shop, (sku, 1), coupon_code="LATE")
    written = [
        re.match(r'(?:UPDATE|INSERT (?:OR IGNORE )?INTO) "(\w+)"', q["sql"])
        for q in queries.captured_queries
    ]
    tables = [m.group(1) for m in written if m]
    assert tables.index("orders_coupon") > tables.index("catalog_stockmovement"), tables
    assert tables.index("catalog_stockmovement") > tables.index("orders_orderline"), tables
    assert tables[tables.index("orders_coupon") + 1 :] == []


def test_coupon_stacks_after_a_discount_but_discounts_do_not_stack(shop, sku):
    with scope(shop=shop):
        DiscountFactory(shop=shop, value=Decimal("10"), products=[sku.product])
        DiscountFactory(shop=shop, value=Decimal("25"), products=[sku.product])  # the better one
        CouponFactory(shop=shop, code="EXTRA", kind="fixed", value=Decimal("5.00"))
        order = place(shop, (sku, 2), coupon_code="EXTRA")
        # $40 regular, 25% sale → $30, then $5 coupon → $25 items + $5 shipping.
        assert order.discount == Decimal("15.00")
        assert order.total == Decimal("30.00")
        assert sorted(OrderPromotion.objects.filter(order=order).values_list("kind", "amount")) == [
            ("coupon", Decimal("5.00")),
            ("discount", Decimal("10.00")),
        ]


def test_json_checkout_accepts_coupon_and_answers_its_error(client, shop, sku):
    CouponFactory(shop=shop, code="JSON5", kind="fixed", value=Decimal("5"))
    url = reverse("store:checkout", kwargs={"store_slug": shop.slug})
    body = {
        "items": [{"sku_id": sku.pk, "quantity": 1}],
        "buyer": {
            "name": "Bea",
            "email": "bea@example.com",
            "line1": "1 Main St",
            "city": "LA",
            "state": "CA",
            "postcode": "90001",
        },
    }
    bad = client.post(url, json.dumps(body | {"coupon": "JSON6"}), "application/json")
    assert bad.status_code == 400
    assert bad.json() == {"error": "There is no coupon “JSON6” at Alpha Goods.", "field": "coupon"}
    good = client.post(url, json.dumps(body | {"coupon": "json5"}), "application/json")
    assert good.status_code == 201
    assert good.json()["discount"] == "5.00"


def test_storefront_cart_has_a_coupon_field(client, shop, sku):
    client.post(
        reverse("store:cart", kwargs={"store_slug": shop.slug}), {"sku_id": sku.pk, "quantity": 1}
    )
    page = client.get(reverse("store:cart", kwargs={"store_slug": shop.slug})).content.decode()
    assert 'name="coupon"' in page


# --- the seller's coupon form --------------------------------------------------------------------
def coupon_form(**overrides):
    now = timezone.now().astimezone(platform_tz())
    values = {
        "code": "SPRING15",
        "kind": "percent",
        "value": "15",
        "min_spend": "",
        "starts_at": f"{now:%Y-%m-%dT%H:%M}",
        "ends_at": f"{now + timedelta(days=10):%Y-%m-%dT%H:%M}",
        "usage_limit": "100",
        "per_buyer_limit": "1",
    }
    values.update(overrides)
    return values


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"value": "101"}, "A coupon cannot be more than 100%."),
        ({"value": "-5"}, "A coupon cannot be below 0."),
        ({"value": "0"}, "A coupon must be worth more than 0."),
        ({"value": "ten"}, "Value must be a number like 10 or 4.99."),
        ({"code": "a b"}, "A coupon code is 3–32 letters"),
        ({"ends_at": "2020-01-01T00:00"}, "The coupon must end after it starts."),
        ({"usage_limit": "0"}, "The total usage limit must be at least 1"),
    ],
)
def test_bad_coupon_input_gets_a_clear_message(owner_client, shop, overrides, message):
    url = reverse("marketing:coupon_create", kwargs={"shop_slug": shop.slug})
    response = owner_client.post(url, coupon_form(**overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    with scope(shop=shop):
        assert not Coupon.objects.filter(shop=shop).exists()


def test_codes_are_unique_per_shop_whatever_their_case(owner_client, shop, other_shop):
    with scope(shop=shop):
        CouponFactory(shop=other_shop, code="SPRING15")  # another shop may use the same code
    url = reverse("marketing:coupon_create", kwargs={"shop_slug": shop.slug})
    assert owner_client.post(url, coupon_form(code="spring15")).status_code == 302
    again = owner_client.post(url, coupon_form(code="Spring15"))
    assert again.status_code == 400
    assert "already has a coupon SPRING15" in again.content.decode()
    with scope(shop=shop):
        assert Coupon.objects.get(shop=shop).code == "SPRING15"


def test_edit_keeps_the_uses_counter_and_end_stops_the_coupon(owner_client, shop, sku):
    coupon = CouponFactory(shop=shop, code="EDITME", usage_limit=5)
    place(shop, (sku, 1), coupon_code="EDITME")
    kw = {"shop_slug": shop.slug, "coupon_id": coupon.pk}
    response = owner_client.post(
        reverse("marketing:coupon_edit", kwargs=kw), coupon_form(code="EDITME", value="20")
    )
    assert response.status_code == 302
    coupon.refresh_from_db()
    assert (coupon.value, coupon.uses, coupon.usage_limit) == (Decimal("20.00"), 1, 100)
    owner_client.post(reverse("marketing:coupon_end", kwargs=kw))
    with pytest.raises(Refused, match="EDITME has expired"):
        place(shop, (sku, 1), coupon_code="EDITME", email="late@example.com")


def test_a_cancelled_order_gives_its_coupon_use_back(
    shop, sku, owner, django_capture_on_commit_callbacks
):
    from orders.services.fulfillment.cancel import order_cancel

    with scope(shop=shop):
        coupon = CouponFactory(shop=shop, code="LAST", usage_limit=1, per_buyer_limit=1)
        order = place(shop, (sku, 1), coupon_code="LAST")
        with pytest.raises(Refused, match="LAST has been used up"):
            place(shop, (sku, 1), coupon_code="LAST", email="late@example.com")
        with django_capture_on_commit_callbacks(execute=True):
            order_cancel(shop=shop, actor=owner, order=order, reason="Out of stock")
        coupon.refresh_from_db()
        assert coupon.uses == 0
        # The same buyer may use it again: the cancelled order no longer counts for them either.
        assert place(shop, (sku, 1), coupon_code="LAST").discount == Decimal("2.00")
