"""Views that exist only for `make bench` (mounted by bench.urls under bench.settings).

* ``bare``: a Django view served with no middleware at all (the stack's ceiling).
* ``trivial``: a signed-in seller view through the full middleware and tenancy stack.
* ``ref_*``: each real page's *reference view*: the same rows read with one query and rendered
  with a bare template — the page's practical limit.
"""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from catalog.models import Product
from orders.analytics.models import DailyShopStats
from orders.models import Order, OrderLine
from shops.tenancy import shop_view


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


@shop_view()
def trivial(request, shop_slug):
    return HttpResponse(f"ok {request.shop.pk}", content_type="text/plain")


@shop_view()
def ref_products(request, shop_slug):
    rows = (
        Product.objects.filter(shop=request.shop)
        .exclude(status="deleted")
        .order_by("-updated_at", "-id")
    )
    return _table(request, rows.values_list("id", "title", "status", "updated_at")[:50])


@shop_view()
def ref_orders(request, shop_slug):
    rows = Order.objects.filter(shop=request.shop).order_by("-placed_at", "-id")
    return _table(
        request, rows.values_list("id", "number", "buyer_name", "status", "total", "placed_at")[:50]
    )


@shop_view()
def ref_order_detail(request, shop_slug, order_id: int):
    lines = OrderLine.objects.filter(shop=request.shop, order_id=order_id).values_list(
        "order__number", "order__buyer_name", "order__total", "title", "quantity", "line_total"
    )
    rows = list(lines)
    if not rows:
        get_object_or_404(Order, pk=0)
    return _table(request, rows)


@shop_view()
def ref_home(request, shop_slug):
    rows = DailyShopStats.objects.filter(shop=request.shop).order_by("-day")
    return _table(
        request,
        rows.values_list("day", "orders", "items_sold", "revenue", "visitors", "returns")[:60],
    )


def _table(request, rows):
    return render(request, "bench/reference.html", {"rows": list(rows)})
