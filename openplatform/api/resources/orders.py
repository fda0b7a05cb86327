"""Orders: list, read, ship in packages, cancel, answer a buyer's cancellation request — the
order pages' selectors and fulfilment services."""

from datetime import datetime
from decimal import Decimal
from typing import Literal

from ninja import Field, Query, Router, Schema, Status

from common.paging import parse_keyset_cursor
from openplatform.api.base import Input, actor, need
from openplatform.scopes import ORDERS_READ, ORDERS_WRITE
from orders.models import Order, Package
from orders.selectors import (
    TO_SHIP_TAB,
    OrderFilters,
    access_order,
    order_list,
    order_page,
    order_view,
)
from orders.services.fulfillment.cancel import cancel_request_respond, order_cancel
from orders.services.fulfillment.ship import order_ship

router = Router(tags=["orders"])
PAGE_SIZE = 50


class LineOut(Schema):
    id: int
    sku_id: int | None
    seller_sku: str
    title: str
    quantity: int
    shipped: int
    unit_price: Decimal
    line_total: Decimal


class PackageOut(Schema):
    id: int
    carrier: str
    service: str
    tracking_number: str
    status: str


class CancelRequestOut(Schema):
    status: str
    reason: str
    respond_by: datetime | None


class OrderSummary(Schema):
    id: int
    number: str
    status: str
    buyer_name: str
    currency: str
    total: Decimal
    placed_at: datetime
    ship_by: datetime | None


class OrderOut(OrderSummary):
    buyer_email: str
    ship_city: str
    ship_state: str
    ship_postcode: str
    subtotal: Decimal
    shipping_fee: Decimal
    discount: Decimal
    delivered_at: datetime | None
    cancel_reason: str
    lines: list[LineOut]
    packages: list[PackageOut]
    cancellation_request: CancelRequestOut | None


class OrderPage(Schema):
    items: list[OrderSummary]
    next_cursor: str | None


class OrderQuery(Schema):
    status: Literal[tuple([TO_SHIP_TAB, *Order.Status.values])] | None = None  # type: ignore[valid-type]
    updated_since: datetime | None = Field(
        None, description="Orders placed or changing status at or after this instant."
    )
    cursor: str = Field("", max_length=100)


class ShipIn(Input):
    carrier: Literal[tuple(Package.Carrier.values)]  # type: ignore[valid-type]
    service: str = Field(min_length=1, max_length=60)
    tracking_number: str = Field(min_length=1, max_length=40)
    lines: dict[int, int] | None = Field(
        None, description="{order line id: quantity}; omit to ship everything not yet shipped."
    )


class CancelIn(Input):
    reason: str = Field(min_length=1, max_length=255)


class CancelAnswerIn(Input):
    accept: bool
    note: str = Field("", max_length=255)


@router.get("/orders", response=OrderPage, summary="List orders (status, updated_since, cursor)")
def orders_list(request, query: Query[OrderQuery]):
    need(request, ORDERS_READ)
    filters = OrderFilters(status=query.status or "", changed_since=query.updated_since)
    cursor = query.cursor if parse_keyset_cursor(query.cursor) else ""
    page = order_page(order_list(shop=request.shop, filters=filters), cursor=cursor, size=PAGE_SIZE)
    return {"items": page.orders, "next_cursor": page.next_cursor or None}


@router.get("/orders/{order_id}", response=OrderOut, summary="Read an order")
def order_read(request, order_id: int):
    need(request, ORDERS_READ)
    return _order_out(access_order(request.shop, order_id))


@router.post("/orders/{order_id}/packages", response={201: OrderOut}, summary="Ship a package")
def order_ship_op(request, order_id: int, body: ShipIn):
    """Ship some lines (or all that remain) in one package with a carrier and tracking number."""
    need(request, ORDERS_WRITE)
    order = access_order(request.shop, order_id)
    order_ship(
        shop=request.shop, actor=actor(request), order=order, carrier=body.carrier,
        service=body.service, tracking_number=body.tracking_number, lines=body.lines,
    )  # fmt: skip
    return Status(201, _order_out(access_order(request.shop, order_id)))


@router.post("/orders/{order_id}/cancel", response=OrderOut, summary="Cancel before shipment")
def order_cancel_op(request, order_id: int, body: CancelIn):
    need(request, ORDERS_WRITE)
    order = access_order(request.shop, order_id)
    order_cancel(shop=request.shop, actor=actor(request), order=order, reason=body.reason)
    return _order_out(access_order(request.shop, order_id))


@router.post(
    "/orders/{order_id}/cancellation-request",
    response=OrderOut,
    summary="Accept or decline the buyer's cancellation request",
)
def cancel_answer_op(request, order_id: int, body: CancelAnswerIn):
    need(request, ORDERS_WRITE)
    order = access_order(request.shop, order_id)
    cancel_request_respond(
        shop=request.shop, actor=actor(request), order=order, accept=body.accept, note=body.note
    )
    return _order_out(access_order(request.shop, order_id))


def _order_out(order: Order) -> dict:
    view = order_view(order)
    out = {name: getattr(order, name) for name in OrderOut.model_fields if hasattr(order, name)}
    out["lines"] = [
        {
            "id": line.pk,
            "sku_id": line.sku_id,
            "seller_sku": line.seller_sku,
            "title": line.title,
            "quantity": line.quantity,
            "shipped": line.shipped,
            "unit_price": line.unit_price,
            "line_total": line.line_total,
        }  # fmt: skip
        for line in view.lines
    ]
    out["packages"] = view.packages
    request_ = view.cancel_request
    out["cancellation_request"] = (
        {"status": request_.status, "reason": request_.reason, "respond_by": request_.respond_by}
        if request_
        else None
    )
    return out
