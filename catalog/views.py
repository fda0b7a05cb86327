from django.core.paginator import Paginator
from django.shortcuts import render

from catalog.models import Product
from catalog.selectors import access_product, product_status_counts
from catalog.selectors import product_list as select_products
from shops import permissions as p
from shops.tenancy import shop_view

PAGE_SIZE = 50


@shop_view(p.CATALOG)
def product_list(request, shop_slug):
    status = request.GET.get("status") or None
    if status not in Product.Status.values:
        status = None
    q = request.GET.get("q", "").strip()[:100]
    page = Paginator(select_products(shop=request.shop, status=status, q=q), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    counts = product_status_counts(shop=request.shop)
    tabs = [("", "All", counts.get("all", 0))] + [
        (value, label, counts.get(value, 0))
        for value, label in Product.Status.choices
        if value != Product.Status.DELETED
    ]
    return render(
        request,
        "catalog/product_list.html",
        {"page": page, "tabs": tabs, "status": status or "", "q": q},
    )


@shop_view(p.CATALOG)
def product_detail(request, shop_slug, product_id: int):
    product = access_product(request.shop, product_id)
    return render(
        request,
        "catalog/product_detail.html",
        {"product": product, "skus": list(product.skus.all())},
    )


@shop_view(p.MARKETING)
def marketing(request, shop_slug):
    return render(
        request,
        "sellercenter/coming_soon.html",
        {"title": "Marketing", "what": "Discounts, coupons and campaign registrations"},
    )
