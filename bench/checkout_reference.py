"""The reference checkout of `make bench`: the least a checkout can do and still sell safely —
one transaction with a conditional stock UPDATE, an order row and a line row. Same URL shape,
same JSON body, same CSRF check as the storefront's checkout, so one client drives both."""

import json
import secrets
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django_scopes import scope

from catalog.models import SKU
from orders.models import Order, OrderLine
from shops.models import Shop


def reference_checkout(request, store_slug):
    shop = get_object_or_404(Shop, slug=store_slug)
    payload = json.loads(request.body)
    item = payload["items"][0]
    sku_id, quantity = int(item["sku_id"]), int(item["quantity"])
    buyer = payload["buyer"]
    now = timezone.now()
    with scope(shop=shop), transaction.atomic():
        taken = SKU.objects.filter(
            shop=shop, pk=sku_id, on_hand__gte=F("reserved") + quantity
        ).update(reserved=F("reserved") + quantity)
        if not taken:
            return JsonResponse({"error": "Sold out."}, status=409)
        price = SKU.objects.filter(pk=sku_id).values_list("price", flat=True).first()
        total = price * quantity
        order = Order.objects.create(
            shop=shop,
            number=f"R{secrets.randbelow(10**14):014d}",
            buyer_name=buyer["name"],
            buyer_email=buyer["email"],
            ship_line1=buyer["line1"],
            ship_city=buyer["city"],
            ship_state=buyer["state"],
            ship_postcode=buyer["postcode"],
            currency=shop.currency,
            subtotal=total,
            shipping_fee=Decimal("0"),
            discount=Decimal("0"),
            total=total,
            placed_at=now,
            ship_by=now,
        )
        OrderLine.objects.create(
            shop=shop, order=order, sku_id=sku_id, title="Reference", quantity=quantity,
            unit_price=price, line_total=total,
        )  # fmt: skip
    return JsonResponse({"order_number": order.number}, status=201)
