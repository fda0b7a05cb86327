"""The REST API's resources: each read and write goes through the pages' selectors and services
(writes count as the seller's activity of the same kind; reads do not)."""

from decimal import Decimal

import pytest
from django_scopes import scope

from catalog.models import SKU, Product, StockMovement
from orders.models import Order, Package
from orders.returns.models import ReturnRequest
from shops.models import ActivityEvent
from tests.factories import OrderFactory, OrderLineFactory, SKUFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sku(shop):
    return SKUFactory(product__shop=shop, seller_sku="MUG-1", on_hand=10)


@pytest.fixture
def order(shop, sku):
    order = OrderFactory(shop=shop, number="API00001")
    OrderLineFactory(order=order, sku=sku, product=sku.product, seller_sku="MUG-1", quantity=2)
    SKU.objects.filter(pk=sku.pk).update(reserved=2)
    return order


def activity_kinds(shop):
    with scope(shop=shop):
        return list(ActivityEvent.objects.values_list("kind", flat=True))


def test_shop_and_standing_read(api, shop):
    body = api.get("/api/v1/shop").json()
    assert body["slug"] == shop.slug and body["currency"] == "USD"
    standing = api.get("/api/v1/shop/standing")
    assert standing.status_code == 200
    assert standing.json()["inactivity_stage"] == ""
    assert activity_kinds(shop) == []  # reads are not activity


def test_product_list_filters_and_read_with_etag(api, shop, sku):
    SKUFactory(product__shop=shop, product__title="Teapot", product__status="draft")
    everything = api.get("/api/v1/products").json()
    assert len(everything["items"]) == 2 and everything["next_cursor"] is None
    drafts = api.get("/api/v1/products", status="draft").json()["items"]
    assert [p["title"] for p in drafts] == ["Teapot"]
    found = api.get("/api/v1/products", q="MUG-1").json()["items"]
    assert found[0]["skus"][0]["seller_sku"] == "MUG-1"
    response = api.get(f"/api/v1/products/{sku.product_id}")
    assert response.status_code == 200 and response["ETag"]
    assert response.json()["skus"][0]["available"] == 10
    bad = api.get("/api/v1/products", status="nonsense")
    assert bad.status_code == 422 and bad["Content-Type"] == "application/problem+json"


def test_product_create_update_and_status_are_product_activity(api, shop):
    created = api.post(
        "/api/v1/products",
        {
            "title": "Linen apron",
            "description": "Stonewashed linen apron with two deep pockets and long ties.",
            "variants": [{"seller_sku": "APR-1", "price": "24.00", "on_hand": 5}],
        },
    )
    assert created.status_code == 201, created.content
    product = created.json()
    assert product["status"] == "draft" and product["skus"][0]["on_hand"] == 5
    etag = created["ETag"]
    updated = api.patch(
        f"/api/v1/products/{product['id']}",
        {"title": "Linen apron, sand"},
        headers={"If-Match": etag},
    )
    assert updated.status_code == 200, updated.content
    assert updated.json()["title"] == "Linen apron, sand"
    stale = api.patch(
        f"/api/v1/products/{product['id']}", {"title": "Lost update"}, headers={"If-Match": etag}
    )
    assert stale.status_code == 412
    with scope(shop=shop):
        assert Product.objects.get(pk=product["id"]).title == "Linen apron, sand"
    deleted = api.post(f"/api/v1/products/{product['id']}/status", {"action": "delete"})
    assert deleted.status_code == 200 and deleted.json()["status"] == "deleted"
    assert set(activity_kinds(shop)) == {ActivityEvent.Kind.PRODUCT_MODIFIED}


def test_stock_set_and_adjust_write_movements_with_the_reason(api, shop, sku):
    read = api.get(f"/api/v1/skus/{sku.pk}")
    set_ = api.put(
        f"/api/v1/skus/{sku.pk}/stock",
        {"on_hand": 25, "reason": "cycle count"},
        headers={"If-Match": read["ETag"]},
    )
    assert set_.status_code == 200 and set_.json()["on_hand"] == 25
    stale = api.put(
        f"/api/v1/skus/{sku.pk}/stock",
        {"on_hand": 1, "reason": "x"},
        headers={"If-Match": read["ETag"]},
    )
    assert stale.status_code == 412
    adjusted = api.post(
        f"/api/v1/skus/{sku.pk}/stock/adjustments", {"delta": -5, "reason": "damaged"}
    )
    assert adjusted.status_code == 200 and adjusted.json()["on_hand"] == 20
    too_far = api.post(f"/api/v1/skus/{sku.pk}/stock/adjustments", {"delta": -99, "reason": "x"})
    assert too_far.status_code == 409
    with scope(shop=shop):
        moves = list(
            StockMovement.objects.filter(sku=sku)
            .order_by("pk")
            .values_list("on_hand_delta", "reference")
        )
        assert moves[-2:] == [(15, "cycle count"), (-5, "damaged")]
        assert SKU.objects.get(pk=sku.pk).on_hand == 20


def test_orders_list_read_ship_and_it_counts_as_order_processing(api, shop, order):
    listed = api.get("/api/v1/orders", status="to_ship").json()
    assert [o["number"] for o in listed["items"]] == ["API00001"]
    assert api.get("/api/v1/orders", status="delivered").json()["items"] == []
    detail = api.get(f"/api/v1/orders/{order.pk}").json()
    assert detail["lines"][0]["quantity"] == 2
    shipped = api.post(
        f"/api/v1/orders/{order.pk}/packages",
        {"carrier": "ups", "service": "UPS Ground", "tracking_number": "1Z999AA10123456784"},
    )
    assert shipped.status_code == 201, shipped.content
    body = shipped.json()
    assert body["status"] == Order.Status.AWAITING_COLLECTION
    assert body["packages"][0]["tracking_number"]
    assert ActivityEvent.Kind.ORDER_PROCESSED in activity_kinds(shop)
    since = api.get("/api/v1/orders", updated_since="2000-01-01T00:00:00Z").json()["items"]
    assert [o["id"] for o in since] == [order.pk]


def test_ship_refuses_an_unknown_carrier_and_cancel_needs_a_reason(api, shop, order):
    bad = api.post(
        f"/api/v1/orders/{order.pk}/packages",
        {"carrier": "pigeon", "service": "x", "tracking_number": "1"},
    )
    assert bad.status_code == 422
    empty = api.post(f"/api/v1/orders/{order.pk}/cancel", {"reason": ""})
    assert empty.status_code == 422
    cancelled = api.post(f"/api/v1/orders/{order.pk}/cancel", {"reason": "Out of stock"})
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    with scope(shop=shop):
        assert not Package.objects.exists()


def test_returns_list_read_approve_reject(api, shop, order, sku):
    second = OrderLineFactory(order=order, sku=sku, product=sku.product, seller_sku="MUG-1")
    with scope(shop=shop):
        first = order.lines.exclude(pk=second.pk).get()
        one = ReturnRequest.objects.create(
            shop=shop, order=order, line=first, kind="refund_only", reason="Broken"
        )
        two = ReturnRequest.objects.create(
            shop=shop, order=order, line=second, kind="refund_only", reason="Late"
        )
    listed = api.get("/api/v1/returns").json()["items"]
    assert {r["id"] for r in listed} == {one.pk, two.pk}
    assert api.post(f"/api/v1/returns/{one.pk}/approve").json()["status"] == "approved"
    rejected = api.post(f"/api/v1/returns/{two.pk}/reject", {"reason": "Outside the window"})
    assert rejected.json()["status"] == "rejected"
    refund = api.post(f"/api/v1/returns/{one.pk}/refund", {"amount": "5.00"})
    assert refund.status_code == 200, refund.content
    assert Decimal(refund.json()["refund_amount"]) > 0


def test_shipping_templates_read(api, shop):
    from orders.models import ShippingTemplate, ShippingZone

    template = ShippingTemplate.objects.create(shop=shop, name="Standard")
    ShippingZone.objects.create(shop=shop, template=template, name="West", states=["CA"])
    listed = api.get("/api/v1/shipping-templates").json()
    assert listed[0]["zones"][0]["states"] == ["CA"]
    assert api.get(f"/api/v1/shipping-templates/{template.pk}").json()["name"] == "Standard"
