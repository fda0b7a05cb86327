from django.db.models import Count, Min, Q, Sum
from django.shortcuts import get_object_or_404

from catalog.models import Product
from shops.models import Shop


def product_list(*, shop: Shop, status: str | None = None, q: str = ""):
    qs = Product.objects.filter(shop=shop).exclude(status=Product.Status.DELETED)
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(skus__seller_sku__iexact=q)).distinct()
    return qs.annotate(
        sku_count=Count("skus"), stock_on_hand=Sum("skus__on_hand"), min_price=Min("skus__price")
    ).order_by("-updated_at", "-id")


def product_status_counts(*, shop: Shop) -> dict[str, int]:
    rows = Product.objects.filter(shop=shop).values("status").annotate(n=Count("id")).order_by()
    counts = {row["status"]: row["n"] for row in rows}
    counts["all"] = sum(n for status, n in counts.items() if status != Product.Status.DELETED)
    return counts


def access_product(shop: Shop, product_id: int) -> Product:
    """The shop's product, or 404 — the same answer for "missing" and "not yours"."""
    return get_object_or_404(
        Product.objects.filter(shop=shop).exclude(status=Product.Status.DELETED), pk=product_id
    )
