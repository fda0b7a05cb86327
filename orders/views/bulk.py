"""Orders ticked on the list: their packing slips on one printable page, or marked shipped
together (through the fulfillment service that ships one order)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from orders.models import Order, Package
from orders.selectors import orders_for_bulk
from orders.services.fulfillment.ship import Shipment, orders_ship_selected
from shops import permissions as p
from shops.tenancy import shop_view

MAX_SELECTED = 100  # two list pages; a bigger batch goes through the CSV upload


def _ids(data) -> list[int]:
    ids = []
    for value in data.getlist("ids")[:MAX_SELECTED]:
        if value.isdigit():
            ids.append(int(value))
    return ids


@shop_view(p.ORDERS)
@require_GET
def order_packing_slips(request, shop_slug):
    """Every ticked order's packing slip, one per printed page."""
    orders = orders_for_bulk(shop=request.shop, ids=_ids(request.GET))
    return render(request, "orders/order_packing_slips.html", {"orders": orders})


@shop_view(p.ORDERS)
@require_http_methods(["GET", "POST"])
def order_bulk_mark_shipped(request, shop_slug):
    """GET: the ticked orders still to ship, each with a carrier and a tracking number to fill
    in. POST: ship them; the refused rows come back with their reason."""
    source = request.POST if request.method == "POST" else request.GET
    orders = [
        o for o in orders_for_bulk(shop=request.shop, ids=_ids(source)) if o.status in Order.TO_SHIP
    ]
    result, status = None, 200
    if request.method == "POST":
        shipments = [
            Shipment(
                order_id=o.pk,
                carrier=request.POST.get(f"carrier_{o.pk}", ""),
                tracking_number=request.POST.get(f"tracking_{o.pk}", ""),
            )
            for o in orders
        ]
        result = orders_ship_selected(shop=request.shop, actor=request.user, shipments=shipments)
        if not result.errors:
            messages.success(
                request,
                f"{len(result.shipped)} order{'s' if len(result.shipped) != 1 else ''} shipped.",
            )
            return redirect("orders:order_list", shop_slug=shop_slug)
        status = 400
        shipped = set(result.shipped)
        orders = [o for o in orders if o.number not in shipped]
    refused = {number: why for _, number, why in result.errors} if result else {}
    rows = [
        (
            o,
            request.POST.get(f"carrier_{o.pk}", ""),
            request.POST.get(f"tracking_{o.pk}", ""),
            refused.get(o.number, ""),
        )
        for o in orders
    ]
    return render(
        request,
        "orders/order_bulk_mark_shipped.html",
        {"rows": rows, "result": result, "carriers": Package.Carrier.choices},
        status=status,
    )
