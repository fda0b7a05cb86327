"""Helpers shared by the returns, inbox and finance tests."""

import io
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scope
from PIL import Image

from orders.models import Order
from orders.returns.services import return_open
from tests.factories import OrderFactory, OrderLineFactory, SKUFactory

PT = ZoneInfo(settings.PLATFORM_TIME_ZONE)


def at(y, m, d, hh=12, mm=0, ss=0) -> datetime:
    """An aware moment in the platform time zone."""
    return datetime(y, m, d, hh, mm, ss, tzinfo=PT)


def delivered_order(
    shop,
    *,
    delivered_at,
    prices=(Decimal("90.00"),),
    quantity=1,
    shipping=Decimal("10.00"),
    discount=Decimal("0.00"),
    status=Order.Status.DELIVERED,
    category=None,
):
    subtotal = sum(prices, Decimal("0.00"))
    order = OrderFactory(
        shop=shop,
        status=status,
        subtotal=subtotal,
        shipping_fee=shipping,
        discount=discount,
        total=subtotal + shipping - discount,
        placed_at=delivered_at,
        delivered_at=delivered_at,
    )
    for price in prices:
        sku = SKUFactory(product__shop=shop, product__category=category, price=price, on_hand=5)
        OrderLineFactory(
            order=order,
            sku=sku,
            product=sku.product,
            title=sku.product.title,
            seller_sku=sku.seller_sku,
            quantity=quantity,
            unit_price=price,
            line_total=price * quantity,
        )
    return order


def png(name="photo.png", size=(64, 64)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 60)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def open_return(
    shop, order, *, kind="return_and_refund", reason="Wrong size", now=None, line=None, **kw
):
    """The buyer asks for a return of the order's (first) line, by default a day after delivery."""
    with scope(shop=shop):
        return return_open(
            shop=shop,
            order=order,
            line=line or order.lines.first(),
            kind=kind,
            reason=reason,
            now=now or order.delivered_at + timedelta(days=1),
            **kw,
        )
