"""Storefront checkout (SPEC §6, §3, §9.2): one transaction, clear refusals, caps, links."""

import json
import re
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import connection
from django.db.models import Count, Sum
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope

from catalog.models import SKU, StockMovement
from common.errors import BadInput, Refused
from common.policy import POLICY
from orders.models import DailyOrderCount, Order, OrderStatusChange, Visit
from orders.services.checkout import ship_by_deadline
from orders.signals import order_status_changed
from tests.factories import ProductFactory, SKUFactory
from tests.orders.conftest import buyer, place
from tests.queries import statements_run

pytestmark = pytest.mark.django_db
LA = ZoneInfo("America/Los_Angeles")


def checkout_url(shop):
    return reverse("store:checkout", kwargs={"store_slug": shop.slug})


def post_checkout(client, shop, items, key=None, **buyer_overrides):
    body = {
        "items": [{"sku_id": s, "quantity": q} for s, q in items],
        "buyer": buyer(**buyer_overrides).__dict__,
    }
    if key:
        body["checkout_key"] = key
    return client.post(checkout_url(shop), json.dumps(body), content_type="application/json")


def nothing_written(shop, *skus):
    with scope(shop=shop):
        assert not Order.objects.filter(shop=shop).exists()
        assert not OrderStatusChange.objects.filter(shop=shop).exists()
        for sku in skus:
            sku.refresh_from_db()
            assert sku.reserved == 0
            assert not StockMovement.objects.filter(sku=sku, reason="order").exists()


def test_checkout_creates_a_paid_order_with_stock_reserved_and_emails_a_signed_link(
    client, shop, sku, sku2, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_checkout(client, shop, [(sku.pk, 2), (sku2.pk, 1)], state="NY")
    assert response.status_code == 201, response.content
    with scope(shop=shop):
        data = response.json()
        order = Order.objects.get(shop=shop, number=data["order_number"])
        assert order.status == "awaiting_shipment"
        assert order.subtotal == Decimal("52.50")
        # Rest of US: per item, first 6.00 + 2 × 2.00 additional.
        assert order.shipping_fee == Decimal("10.00")
        assert order.discount == Decimal("0") and order.total == Decimal("62.50")
        assert [(line.seller_sku, line.quantity) for line in order.lines.all()] == [
            (sku.seller_sku, 2),
            (sku2.seller_sku, 1),
        ]
        sku.refresh_from_db()
        assert (sku.on_hand, sku.reserved) == (5, 2)
        assert order.history.get().note == "Order placed and paid"
        assert order.ship_by is not None

        [email] = mail.outbox
        assert email.to == ["bea@example.com"] and order.number in email.subject
        link = re.search(r"https?://\S+/store/\S+", email.body).group(0)
    # The email's link and the answer's are each signed when made (with the time: they differ
    # when a second passes between them); each opens this order's page for anyone holding it.
    for path in ("/" + link.split("/", 3)[3], data["order_url"]):
        page = Client().get(path)
        assert page.status_code == 200 and order.number in page.content.decode()


def test_one_checkout_costs_the_same_queries_whatever_the_cart_size(client, shop, template):
    """make bench: checkout throughput. Every statement is per order, none per line: the
    view's shop, the SKUs (with the template each product names), the order, its lines, its
    history row, the stock (one conditional UPDATE locking in id order, movements) — plus the
    transaction's own statements. The shop's shared figures (promotion windows, shipping zones,
    webhook subscriptions) are computed by the first checkout (5 statements) and read from the
    cache after."""
    with scope(shop=shop):
        skus = [SKUFactory(product__shop=shop, price=Decimal("4.00"), on_hand=20) for _ in range(5)]
    counted = []
    for n, size in enumerate((1, 5, 3)):
        with CaptureQueriesContext(connection) as queries:
            response = post_checkout(
                client, shop, [(s.pk, 1) for s in skus[:size]], key=f"k-{n:08}"
            )
        assert response.status_code == 201, response.content
        counted.append(statements_run(queries))
    assert [len(c) for c in counted] == [12, 7, 7], [q[:60] for q in counted[1]]
    assert sum(1 for sql in counted[1] if '"catalog_sku"' in sql.split("WHERE")[0]) == 2
    with scope(shop=shop):
        assert SKU.objects.filter(shop=shop).aggregate(r=Sum("reserved"))["r"] == 9
        assert StockMovement.objects.filter(shop=shop, reason="order").count() == 9


def test_buyer_link_cannot_be_guessed_or_moved_to_another_shop(client, shop, other_shop, sku):
    order = place(shop, (sku, 1))
    from orders.buyer_links import buyer_order_token

    token = buyer_order_token(order)
    good = reverse("store:buyer_order", kwargs={"store_slug": shop.slug, "token": token})
    assert client.get(good).status_code == 200
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    for slug, tok in ((shop.slug, forged), (other_shop.slug, token), (shop.slug, str(order.pk))):
        url = reverse("store:buyer_order", kwargs={"store_slug": slug, "token": tok})
        assert client.get(url).status_code == 404


def test_checkout_endpoint_keeps_csrf(shop, sku):
    strict = Client(enforce_csrf_checks=True)
    response = post_checkout(strict, shop, [(sku.pk, 1)])
    assert response.status_code == 403
    nothing_written(shop, sku)


def test_same_checkout_key_returns_the_same_order(client, shop, sku):
    first = post_checkout(client, shop, [(sku.pk, 1)], key="key-0123456789")
    again = post_checkout(client, shop, [(sku.pk, 1)], key="key-0123456789")
    assert (first.status_code, again.status_code) == (201, 200)
    with scope(shop=shop):
        assert first.json()["order_number"] == again.json()["order_number"]
        assert Order.objects.filter(shop=shop).count() == 1
    sku.refresh_from_db()
    assert sku.reserved == 1


def test_a_retry_gets_its_order_even_when_it_could_not_be_placed_again(
    client, shop, sku, override_policy
):
    """The key is not looked up before placing (one query less per checkout): a retry whose
    item has since sold out, or whose shop reached its daily cap, still gets its order."""
    override_policy(probation_daily_order_cap=1)
    shop.on_probation = True
    with scope(shop=shop):
        shop.save()
    first = post_checkout(client, shop, [(sku.pk, 5)], key="all-of-it-0001")
    assert first.status_code == 201
    for _ in range(2):
        again = post_checkout(client, shop, [(sku.pk, 5)], key="all-of-it-0001")
        assert again.status_code == 200, again.content
        assert again.json()["order_number"] == first.json()["order_number"]
    other = post_checkout(client, shop, [(sku.pk, 1)], key="another-0001")
    with scope(shop=shop):
        assert other.status_code == 409 and "limit of 1 orders" in other.json()["error"]
        shop.on_probation = False
        shop.save()
    other = post_checkout(client, shop, [(sku.pk, 1)], key="another-0001")
    with scope(shop=shop):
        assert other.status_code == 409 and "Not enough stock" in other.json()["error"]
        assert Order.objects.filter(shop=shop).count() == 1
        sku.refresh_from_db()
        assert sku.reserved == 5
        assert DailyOrderCount.objects.get(shop=shop).count == 1


def test_an_order_number_taken_already_is_drawn_again(shop, sku, monkeypatch):
    """No savepoint around the order's INSERT: a number collision (1 in 10^10 a day) rolls the
    placement back and places it again with a fresh number, nothing written twice."""
    from orders.services import checkout

    draws = iter([42, 42, 43])
    with scope(shop=shop):
        monkeypatch.setattr(checkout.secrets, "randbelow", lambda _: next(draws))
        first = place(shop, (sku, 1))
        second = place(shop, (sku, 2))
        assert (first.number[-2:], second.number[-2:]) == ("42", "43")
        sku.refresh_from_db()
        moves = StockMovement.objects.filter(sku=sku).aggregate(
            n=Count("id"), r=Sum("reserved_delta")
        )
        assert (sku.reserved, moves["r"], moves["n"]) == (3, 3, 2)
        assert OrderStatusChange.objects.filter(shop=shop).count() == 2


@pytest.mark.parametrize(
    ("items", "overrides", "status", "message"),
    [
        ("empty", {}, 400, "cart is empty"),
        ("zero", {}, 400, "at least 1"),
        ("negative", {}, 400, "at least 1"),
        ("unknown", {}, 400, "Unknown item"),
        ("fraction", {}, 400, "whole-number"),
        ("text", {}, 400, "whole-number"),
        ("too_many", {}, 409, "Not enough stock"),
        ("ok", {"state": "AK"}, 400, "does not ship to Alaska"),
        ("ok", {"state": "XX"}, 400, "US state"),
        ("ok", {"email": "nope"}, 400, "valid email"),
        ("ok", {"postcode": "ABCDE"}, 400, "ZIP"),
        ("ok", {"name": ""}, 400, "name"),
    ],
)
def test_bad_carts_are_refused_with_a_clear_4xx_and_nothing_written(
    client, shop, sku, sku2, items, overrides, status, message
):
    items = {
        "empty": [],
        "zero": [(sku.pk, 0)],
        "negative": [(sku.pk, -2)],
        "unknown": [(sku.pk, 1), (999999, 1)],
        "fraction": [(sku.pk, 1.5)],
        "text": [(sku.pk, "two")],
        # The first line fits, the second does not: the first must not stay reserved.
        "too_many": [(sku.pk, 1), (sku2.pk, 9)],
        "ok": [(sku.pk, 1)],
    }[items]
    response = post_checkout(client, shop, items, **overrides)
    assert response.status_code == status
    assert message in response.json()["error"]
    nothing_written(shop, sku, sku2)


def test_malformed_json_is_a_400(client, shop, sku):
    response = client.post(checkout_url(shop), "not json", content_type="application/json")
    assert response.status_code == 400
    response = client.post(checkout_url(shop), "[1, 2]", content_type="application/json")
    assert response.status_code == 400


def test_other_shops_sku_is_unknown(client, shop, other_shop, sku, template):
    foreign = SKUFactory(product__shop=other_shop)
    response = post_checkout(client, shop, [(foreign.pk, 1)])
    assert response.status_code == 400
    nothing_written(shop, sku)


@pytest.mark.parametrize("status", ["draft", "issues", "suspended", "deactivated", "delisted"])
def test_products_that_are_not_live_cannot_be_bought(client, shop, sku, status):
    sku.product.status = status
    sku.product.save()
    response = post_checkout(client, shop, [(sku.pk, 1)])
    assert response.status_code == 409
    assert "not available" in response.json()["error"]
    nothing_written(shop, sku)


@pytest.mark.parametrize("status", ["pending_verification", "deactivated", "banned"])
def test_shops_that_are_not_active_take_no_orders(client, shop, sku, status):
    shop.status = status
    shop.save()
    response = post_checkout(client, shop, [(sku.pk, 1)])
    assert response.status_code == 409
    assert "not accepting orders" in response.json()["error"]
    nothing_written(shop, sku)
    assert client.get(reverse("store:home", kwargs={"store_slug": shop.slug})).status_code == 404


def test_status_signal_is_sent_on_commit_only(shop, sku, django_capture_on_commit_callbacks):
    seen = []

    def receiver(sender, **kwargs):
        seen.append((kwargs["from_status"], kwargs["to_status"]))

    order_status_changed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            place(shop, (sku, 1))
        assert seen == []
        for callback in callbacks:
            callback()
        assert seen == [("", "awaiting_shipment")]
    finally:
        order_status_changed.disconnect(receiver)


def test_ship_by_is_three_business_days_in_platform_time():
    friday = datetime(2026, 3, 6, 10, 0, tzinfo=LA)
    deadline = ship_by_deadline(friday).astimezone(LA)
    assert (deadline.date().isoformat(), deadline.hour) == ("2026-03-11", 23)  # Wed
    monday = datetime(2026, 3, 9, 10, 0, tzinfo=LA)
    assert ship_by_deadline(monday).astimezone(LA).date().isoformat() == "2026-03-12"


def test_quantity_cap_per_line(shop, sku, settings):
    with pytest.raises(BadInput, match="At most"):
        place(shop, (sku, POLICY.checkout_max_quantity + 1))


def test_storefront_pages_show_live_products_and_record_visits(client, shop, sku):
    with scope(shop=shop):
        hidden = ProductFactory(shop=shop, title="Secret Draft", status="draft")
    home = client.get(reverse("store:home", kwargs={"store_slug": shop.slug}) + "?src=live")
    assert home.status_code == 200
    body = home.content.decode()
    assert "Cozy Hoodie" in body and "Secret Draft" not in body
    product_url = reverse(
        "store:product", kwargs={"store_slug": shop.slug, "product_id": sku.product_id}
    )
    assert client.get(product_url + "?src=product_card").status_code == 200
    hidden_url = reverse("store:product", kwargs={"store_slug": shop.slug, "product_id": hidden.pk})
    assert client.get(hidden_url).status_code == 404
    with scope(shop=shop):
        assert list(Visit.objects.filter(shop=shop).values_list("product_id", "source")) == [
            (None, "live"),
            (sku.product_id, "product_card"),
        ]
    # An off-site referrer counts as external.
    client.get(product_url, HTTP_REFERER="https://elsewhere.example/post")
    with scope(shop=shop):
        assert Visit.objects.filter(shop=shop).latest("id").source == "external"


def test_cart_then_checkout_records_the_traffic_source_on_the_order(client, shop, sku):
    client.get(reverse("store:home", kwargs={"store_slug": shop.slug}) + "?src=video")
    cart_url = reverse("store:cart", kwargs={"store_slug": shop.slug})
    assert client.post(cart_url, {"sku_id": sku.pk, "quantity": 2}).status_code == 302
    page = client.get(cart_url)
    assert "Cozy Hoodie" in page.content.decode()
    quote = client.get(reverse("store:quote", kwargs={"store_slug": shop.slug}), {"state": "CA"})
    assert "$5.00" in quote.content.decode()
    response = post_checkout(client, shop, [(sku.pk, 2)])
    assert response.status_code == 201
    with scope(shop=shop):
        assert Order.objects.get(shop=shop).traffic_source == "video"
    assert "Cozy Hoodie" not in client.get(cart_url).content.decode()  # cart emptied


def test_cart_refuses_bad_quantities(client, shop, sku):
    cart_url = reverse("store:cart", kwargs={"store_slug": shop.slug})
    assert client.post(cart_url, {"sku_id": sku.pk, "quantity": 0}).status_code == 400
    assert client.post(cart_url, {"sku_id": 424242, "quantity": 1}).status_code == 400


def test_sold_out_stock_is_never_oversold_sequentially(shop, sku):
    with scope(shop=shop):
        place(shop, (sku, 5))
        with pytest.raises(Refused):
            place(shop, (sku, 1))
        assert SKU.objects.get(pk=sku.pk).available == 0


def test_checkout_answers_with_the_order_when_the_broker_is_down(
    client, shop, sku, django_capture_on_commit_callbacks
):
    """make chaos (Redis restart under load): the order commits, then queueing its confirmation
    email fails. The buyer must get their order, not a 500 for an order that exists."""
    from unittest import mock

    from kombu.exceptions import OperationalError as BrokerDown

    with scope(shop=shop):
        down = BrokerDown("Error 111 connecting to 127.0.0.1:6390. Connection refused.")
    with (
        mock.patch(
            "orders.tasks.send_pending_order_confirmations_task.apply_async", side_effect=down
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = post_checkout(client, shop, [(sku.pk, 1)], key="broker-down-0001")
    assert response.status_code == 201, response.content
    with scope(shop=shop):
        order = Order.objects.get(shop=shop, number=response.json()["order_number"])
        assert order.lines.count() == 1
    # The buyer's retry with the same key finds that order, not a second one.
    again = post_checkout(client, shop, [(sku.pk, 1)], key="broker-down-0001")
    assert again.status_code == 200
    with scope(shop=shop):
        assert again.json()["order_number"] == order.number
        assert Order.objects.filter(shop=shop).count() == 1
