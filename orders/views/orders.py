from django.core.paginator import Paginator
from django.shortcuts import render

from orders.models import Order
from orders.selectors import access_order, order_status_counts
from orders.selectors import order_list as select_orders
from shops import permissions as p
from shops.tenancy import shop_view

PAGE_SIZE = 50


@shop_view(p.ORDERS)
def order_list(request, shop_slug):
    status = request.GET.get("status") or None
    if status not in Order.Status.values:
        status = None
    q = request.GET.get("q", "").strip()[:100]
    page = Paginator(select_orders(shop=request.shop, status=status, q=q), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    counts = order_status_counts(shop=request.shop)
    tabs = [("", "All", counts.get("all", 0))] + [
        (value, label, counts.get(value, 0)) for value, label in Order.Status.choices
    ]
    return render(
        request,
        "orders/order_list.html",
        {"page": page, "tabs": tabs, "status": status or "", "q": q},
    )


@shop_view(p.ORDERS)
def order_detail(request, shop_slug, order_id: int):
    order = access_order(request.shop, order_id)
    return render(
        request,
        "orders/order_detail.html",
        {
            "order": order,
            "lines": list(order.lines.all()),
            "history": list(order.history.select_related("actor")),
        },
    )
