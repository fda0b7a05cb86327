from django.db.models import Count, Q
from django.shortcuts import get_object_or_404

from orders.models import Order
from shops.models import Shop


def order_list(*, shop: Shop, status: str | None = None, q: str = ""):
    qs = Order.objects.filter(shop=shop)
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(number__iexact=q) | Q(buyer_name__icontains=q))
    return qs.annotate(item_count=Count("lines")).order_by("-placed_at", "-id")


def order_status_counts(*, shop: Shop) -> dict[str, int]:
    rows = Order.objects.filter(shop=shop).values("status").annotate(n=Count("id")).order_by()
    counts = {row["status"]: row["n"] for row in rows}
    counts["all"] = sum(counts.values())
    return counts


def access_order(shop: Shop, order_id: int) -> Order:
    """The shop's order, or 404 — the same for "missing" and "not yours"."""
    return get_object_or_404(Order.objects.filter(shop=shop), pk=order_id)
