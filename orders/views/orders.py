from datetime import date
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render

from common.clock import platform_tz
from common.csvio import csv_streaming_response
from common.errors import DomainError
from common.paging import Pager, bounded_count
from orders.models import Order, Package
from orders.selectors import (
    PERIODS,
    TO_SHIP_TAB,
    OrderFilters,
    access_order,
    order_page,
    order_status_counts,
    order_view,
)
from orders.selectors import order_list as select_orders
from orders.services.fulfillment.cancel import cancel_request_respond, order_cancel
from orders.services.fulfillment.ship import CARRIER_SERVICES, order_ship, orders_bulk_ship
from shops import permissions as p
from shops.tenancy import shop_view

PAGE_SIZE = 50


def _filters(request) -> OrderFilters:
    status = request.GET.get("status", "")
    period = request.GET.get("period", "")
    return OrderFilters(
        status=status if status in Order.Status.values or status == TO_SHIP_TAB else "",
        q=request.GET.get("q", "").replace("\x00", "").strip()[:100],  # PostgreSQL refuses NUL
        period=period if period in PERIODS or period == "range" else "",
        date_from=_date(request.GET.get("from")),
        date_to=_date(request.GET.get("to")),
        late=request.GET.get("late") == "1",
    )


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@shop_view(p.ORDERS)
def order_list(request, shop_slug):
    filters = _filters(request)
    orders = select_orders(shop=request.shop, filters=filters)
    page = order_page(
        orders,
        cursor=request.GET.get("after", ""),
        before=request.GET.get("before", ""),
        size=PAGE_SIZE,
    )
    counts = order_status_counts(shop=request.shop)
    to_ship = sum(counts[status] for status in Order.TO_SHIP)
    tabs = [("", "All", counts["all"]), (TO_SHIP_TAB, "To ship", to_ship)] + [
        (value, label, counts.get(value, 0)) for value, label in Order.Status.choices
    ]
    filtered = any([filters.q, filters.period, filters.late])
    if filtered and page.is_first and not page.next_cursor:
        total, floor = len(page.orders), False  # one page holds every match: nothing to count
    elif filtered:
        total, floor = bounded_count(orders)  # a search: counted, up to a limit
    else:
        total, floor = {value: count for value, _, count in tabs}[filters.status], False
    query = request.GET.copy()
    for key in ("after", "before", "at"):
        query.pop(key, None)
    return render(
        request,
        "orders/order_list.html",
        {
            "page": page,
            "pager": _pager(page, query.urlencode(), _int(request.GET.get("at")), total, floor),
            "tabs": tabs,
            "status": filters.status,
            "q": filters.q,
            "filters": filters,
            "periods": PERIODS,
            "query": query.urlencode(),
            "filtered": filtered,
            "carriers": Package.Carrier.choices,
        },
    )


def _pager(page, query: str, at: int, total: int, floor: bool) -> Pager:
    """Where the keyset page sits: ``at`` (rows before it) rides along in the links, so the
    position costs no count; the total is the tab's cached count or a bounded count."""
    at = 0 if page.is_first else at
    shown = len(page.orders)
    join = f"{query}&" if query else ""
    next_query = prev_query = ""
    if page.next_cursor:
        next_query = f"{join}{urlencode({'after': page.next_cursor, 'at': at + shown})}"
    if page.prev_cursor:
        prev_query = (
            f"{join}{urlencode({'before': page.prev_cursor, 'at': max(0, at - PAGE_SIZE)})}"
        )
    return Pager(
        first=at + 1 if shown else 0,
        last=at + shown,
        total=max(total, at + shown),
        total_is_floor=floor,
        prev_query=prev_query,
        next_query=next_query,
        first_query=query if page.prev_cursor and at > PAGE_SIZE else "",
    )


def _int(value) -> int:
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        return 0


@shop_view(p.ORDERS)
def order_export(request, shop_slug):
    """CSV of the filtered list, streamed in chunks (any size, flat memory)."""
    shop = request.shop
    rows = select_orders(shop=shop, filters=_filters(request)).values_list(
        "number",
        "placed_at",
        "status",
        "buyer_name",
        "ship_state",
        "subtotal",
        "shipping_fee",
        "discount",
        "total",
        "ship_by",
    )

    tz = platform_tz()  # the same calendar the filters use
    header = ["order number", "placed at", "status", "buyer", "state", "subtotal", "shipping",
              "discount", "total", "ship by"]  # fmt: skip
    lines = (
        [
            number,
            placed_at.astimezone(tz).isoformat(),
            *middle,
            ship_by.astimezone(tz).isoformat() if ship_by else "",
        ]
        for number, placed_at, *middle, ship_by in rows.iterator(chunk_size=2000)
    )
    return csv_streaming_response(f"orders-{shop.slug}.csv", header, lines, shop=shop)


def _detail_context(order: Order, **extra) -> dict:
    return {
        "view": order_view(order),
        "order": order,
        "carriers": Package.Carrier.choices,
        "carrier_services": CARRIER_SERVICES,
        **extra,
    }


@shop_view(p.ORDERS)
def order_detail(request, shop_slug, order_id: int):
    order = access_order(request.shop, order_id)
    return render(request, "orders/order_detail.html", _detail_context(order))


def _refused(request, order: Order, exc: DomainError, form: str):
    return render(
        request,
        "orders/order_detail.html",
        _detail_context(order, error=exc.message, error_form=form, posted=request.POST),
        status=exc.status_code,
    )


@shop_view(p.ORDERS)
def order_ship_view(request, shop_slug, order_id: int):
    carrier = request.POST.get("carrier", "")
    other = carrier == Package.Carrier.OTHER
    service = request.POST.get("service_other" if other else "service", "")
    return _order_action(
        request,
        order_id,
        "ship",
        lambda order: order_ship(
            shop=request.shop,
            actor=request.user,
            order=order,
            carrier=carrier,
            service=service,
            tracking_number=request.POST.get("tracking_number", ""),
            lines=_ship_quantities(request.POST) or None,
        ),
        done=lambda package: f"Shipped with {package}.",
    )


@shop_view(p.ORDERS)
def order_cancel_view(request, shop_slug, order_id: int):
    return _order_action(
        request,
        order_id,
        "cancel",
        lambda order: order_cancel(
            shop=request.shop,
            actor=request.user,
            order=order,
            reason=request.POST.get("reason", ""),
        ),
        done=lambda order: f"Order {order.number} cancelled; its stock is available again.",
    )


@shop_view(p.ORDERS)
def order_cancel_request_view(request, shop_slug, order_id: int):
    accept = request.POST.get("decision") == "accept"
    return _order_action(
        request,
        order_id,
        "cancel_request",
        lambda order: cancel_request_respond(
            shop=request.shop,
            actor=request.user,
            order=order,
            accept=accept,
            note=request.POST.get("note", ""),
        ),
        done=lambda _: (
            "Cancellation accepted; the order is cancelled."
            if accept
            else "Cancellation declined; ship the order."
        ),
    )


def _order_action(request, order_id: int, form: str, action, *, done) -> HttpResponse:
    """Run one of the order page's POST actions, ``action(order)``: back to the order with
    ``done(result)``, or, when the rules refuse, the page again with the reason next to
    ``form``'s fields. The order is looked up first: 404 before 405, so ids never leak."""
    order = access_order(request.shop, order_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        result = action(order)
    except DomainError as exc:
        return _refused(request, order, exc, form)
    messages.success(request, done(result))
    return redirect("orders:order_detail", shop_slug=request.shop.slug, order_id=order.pk)


def _ship_quantities(posted) -> dict[int, int]:
    """{order line id: quantity} from the form's ``qty_<line id>`` fields."""
    quantities = {}
    for key, value in posted.items():
        if key.startswith("qty_"):
            try:
                quantities[int(key[4:])] = int(value or 0)
            except ValueError:
                raise DomainError("Quantities must be whole numbers.") from None
    return quantities


@shop_view(p.ORDERS)
def order_packing_slip(request, shop_slug, order_id: int):
    order = access_order(request.shop, order_id)
    return render(request, "orders/order_packing_slip.html", {"view": order_view(order)})


@shop_view(p.ORDERS)
def order_bulk_ship(request, shop_slug):
    result, error, status = None, "", 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error, status = "Choose a CSV file to upload.", 400
        elif upload.size > 2 * 1024 * 1024:
            error, status = "The file is larger than 2 MB.", 400
        else:
            try:
                result = orders_bulk_ship(shop=request.shop, actor=request.user, csv_file=upload)
            except DomainError as exc:
                error, status = exc.message, exc.status_code
    return render(
        request,
        "orders/order_bulk_ship.html",
        {"result": result, "error": error, "carriers": Package.Carrier.choices},
        status=status,
    )
