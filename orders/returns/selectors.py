"""Reads for returns: the list with its tabs, one return, and the Home count."""

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404

from orders.returns.models import ReturnPhoto, ReturnRequest
from shops.models import Shop


def return_list(*, shop: Shop, status: str | None = None, q: str = ""):
    """The shop's returns, newest first; ``q`` finds an order number (it has digits) or a
    buyer's name, as the orders list does."""
    qs = ReturnRequest.objects.filter(shop=shop).select_related("order", "line")
    if status:
        qs = qs.filter(status=status)
    if q:
        if any(ch.isdigit() for ch in q):
            qs = qs.filter(Q(order__number=q.upper()) | Q(pk=_int(q.lstrip("#"))))
        else:
            qs = qs.filter(order__buyer_name__icontains=q)
    return qs.order_by("-requested_at", "-id")


def _int(value: str) -> int | None:
    return int(value) if value.isdigit() else None


def return_status_counts(*, shop: Shop) -> dict[str, int]:
    rows = (
        ReturnRequest.objects.filter(shop=shop).values("status").annotate(n=Count("id")).order_by()
    )
    counts = {row["status"]: row["n"] for row in rows}
    counts["all"] = sum(counts.values())
    return counts


def open_returns_count(*, shop: Shop) -> int:
    """Returns not yet finished (SPEC §9.3: a shop with open returns cannot be deleted)."""
    finished = [s for s, nxt in ReturnRequest.ALLOWED.items() if not nxt]
    return ReturnRequest.objects.filter(shop=shop).exclude(status__in=finished).count()


def access_return_request(shop: Shop, return_request_id: int) -> ReturnRequest:
    """The shop's return, or 404 — the same for "missing" and "not yours"."""
    return get_object_or_404(
        ReturnRequest.objects.filter(shop=shop).select_related("order", "line"),
        pk=return_request_id,
    )


def access_return_photo(shop: Shop, return_photo_id: int) -> ReturnPhoto:
    return get_object_or_404(ReturnPhoto.objects.filter(shop=shop), pk=return_photo_id)
