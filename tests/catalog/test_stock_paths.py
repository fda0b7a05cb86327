"""Every way stock changes goes through the one stock writer (catalog.services.stock): each path
leaves movement rows whose deltas are exactly the change in on hand and reserved, and none
takes available stock below zero."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Sum
from django.urls import reverse
from django_scopes import scope

from catalog import csvio
from catalog.models import SKU, StockMovement
from catalog.services import OutOfStock, stock_move
from catalog.services.bulk import product_bulk_action
from catalog.services.products.editing import VariantInput, product_create, sku_inline_update
from orders.returns import services as returns
from orders.services.fulfillment.cancel import order_cancel
from orders.services.fulfillment.ship import order_ship
from tests.factories import CategoryFactory, SKUFactory
from tests.orders.aftersales import at, delivered_order
from tests.orders.conftest import make_template, place

pytestmark = pytest.mark.django_db
R = StockMovement.Reason


def reserve_by_checkout(shop, owner, sku, **_):
    place(shop, (sku, 2))


def release_by_cancel(shop, owner, sku, **_):
    with scope(shop=shop):
        order = place(shop, (sku, 2))
        order_cancel(shop=shop, actor=owner, order=order, reason="Out of stock")


def ship(shop, owner, sku, **_):
    with scope(shop=shop):
        order = place(shop, (sku, 2))
        order_ship(shop=shop, actor=owner, order=order, carrier="ups", service="UPS Ground",
                   tracking_number="1Z999AA10123456784")  # fmt: skip


def restock_a_return(shop, owner, sku, **_):
    with scope(shop=shop):
        order = delivered_order(shop, delivered_at=at(2026, 3, 1))
        line = order.lines.get()
        line.sku = sku
        line.save()
        request = returns.return_open(shop=shop, order=order, line=line, kind="return_and_refund",
                                      reason="Wrong size", now=at(2026, 3, 2))  # fmt: skip
        returns.return_approve(shop=shop, actor=owner, return_request=request)
        returns.return_buyer_ship(shop=shop, return_request=request, carrier="UPS", tracking="1Z1")
        returns.return_receive(shop=shop, actor=owner, return_request=request, restock=True)


def import_a_csv(shop, owner, sku, client, capture):
    CategoryFactory(slug="mugs")
    out = io.StringIO()
    row = {"seller_sku": sku.seller_sku, "title": "Mug", "price": "10.00", "stock": "3",
                 "description": "A good long description for the listing checks.",
                 "category": "mugs"}  # fmt: skip
    writer = csv.DictWriter(out, fieldnames=csvio.COLUMNS)
    writer.writeheader()
    writer.writerow(row)
    file = SimpleUploadedFile("p.csv", out.getvalue().encode(), content_type="text/csv")
    with capture(execute=True):
        client.post(reverse("catalog:product_import", kwargs={"shop_slug": shop.slug}),
                    {"file": file})  # fmt: skip


def edit_inline(shop, owner, sku, **_):
    with scope(shop=shop):
        sku_inline_update(shop=shop, actor=owner, sku=sku, version=sku.version, on_hand=7)


def bulk_set_stock(shop, owner, sku, **_):
    with scope(shop=shop):
        product_bulk_action(shop=shop, actor=owner, action="set_stock",
                            product_ids=[sku.product_id], value="12")  # fmt: skip


def adjust_by_hand(shop, owner, sku, **_):
    with scope(shop=shop):
        stock_move(shop=shop, sku_id=sku.pk, on_hand=-4, reason=R.ADJUSTMENT, actor=owner)


PATHS = [
    reserve_by_checkout,
    release_by_cancel,
    ship,
    restock_a_return,
    import_a_csv,
    edit_inline,
    bulk_set_stock,
    adjust_by_hand,
]


@pytest.mark.parametrize("path", PATHS, ids=[p.__name__ for p in PATHS])
def test_each_path_leaves_movements_that_add_up_to_the_stock_change(
    shop, owner, owner_client, django_capture_on_commit_callbacks, path
):
    with scope(shop=shop):
        make_template(shop)
        sku = SKUFactory(product__shop=shop, on_hand=10, price=Decimal("10.00"))
    before = (sku.on_hand, sku.reserved)
    path(shop, owner, sku, client=owner_client, capture=django_capture_on_commit_callbacks)
    sku.refresh_from_db()
    with scope(shop=shop):
        moved = StockMovement.objects.filter(sku=sku).aggregate(h=Sum("on_hand_delta"),
                                                               r=Sum("reserved_delta"))  # fmt: skip
        assert StockMovement.objects.filter(sku=sku).exists()
    assert (sku.on_hand - before[0], sku.reserved - before[1]) == (moved["h"], moved["r"])
    assert sku.available >= 0


def test_a_new_product_opens_its_stock_with_a_movement(shop, owner):
    with scope(shop=shop):
        outcome = product_create(shop=shop, actor=owner, data={"title": "Lamp"}, images=[],
                                 variants=[VariantInput(seller_sku="LAMP-1", price=None, on_hand=4)])  # fmt: skip
        sku = SKU.objects.get(product=outcome.product)
        (movement,) = StockMovement.objects.filter(sku=sku)
    assert (sku.on_hand, movement.on_hand_delta, movement.reference) == (4, 4, "initial stock")


@pytest.mark.parametrize(("available", "accepted"), [(0, False), (1, True)])
def test_taking_one_unit_needs_one_available(shop, available, accepted):
    with scope(shop=shop):
        sku = SKUFactory(product__shop=shop, on_hand=3, reserved=3 - available)
        if accepted:
            stock_move(shop=shop, sku_id=sku.pk, on_hand=-1, reason=R.ADJUSTMENT)
        else:
            with pytest.raises(OutOfStock):
                stock_move(shop=shop, sku_id=sku.pk, on_hand=-1, reason=R.ADJUSTMENT)
        sku.refresh_from_db()
        assert sku.available == 0
        assert StockMovement.objects.filter(sku=sku).count() == (1 if accepted else 0)
