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


def _coming_soon(title: str, what: str):
    def view(request, shop_slug):
        return render(request, "sellercenter/coming_soon.html", {"title": title, "what": what})

    return view


return_list = shop_view(p.RETURNS)(_coming_soon("Returns", "Return and refund requests"))
shipping = shop_view(p.SHIPPING)(
    _coming_soon("Shipping", "Shipping templates with zones and rates")
)
analytics = shop_view(p.ANALYTICS)(
    _coming_soon("Analytics", "Sales, traffic and conversion reports")
)
inbox = shop_view(p.CUSTOMER_SERVICE)(
    _coming_soon("Customer service", "Buyer conversations and your response rate")
)
finance = shop_view(p.FINANCE)(
    _coming_soon("Finance", "Balances, settlements, withdrawals and statements")
)
