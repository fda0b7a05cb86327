"""System delisting and relisting of products (SPEC §5 "delisted", §9.2, §9.3).

The only place the platform (not the seller) takes products offline and brings them back.
Set-based: one UPDATE per call, whatever the number of shops, so the daily inactivity sweep
stays a handful of statements. ``delisted_by`` remembers why, so re-listing brings back exactly
what the system took down and never what the seller deactivated.
"""

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from catalog.models import SKU, Product

# Why a re-listed product could not go live; shown to the seller on the product.
NOT_LISTABLE_REASON = "No variant has a price and stock: add stock or a price, then resubmit."


def products_system_delist(*, shop_ids: QuerySet | Iterable[int], delisted_by: str) -> int:
    """Every live product of these shops becomes delisted (by ``delisted_by``). Returns how many.

    ``shop_ids`` may be a queryset of shop ids (``.values("shop_id")``): it stays a subquery.
    Callers disable or set the tenant scope (this crosses shops by design).
    """
    _check_reason(delisted_by)
    return Product.objects.filter(shop_id__in=shop_ids, status=Product.Status.LIVE).update(
        status=Product.Status.DELISTED, delisted_by=delisted_by, updated_at=timezone.now()
    )


def products_system_relist(
    *, shop_ids: QuerySet | Iterable[int], delisted_by: str
) -> tuple[int, int]:
    """Products the system delisted (by ``delisted_by``) come back: (went live, went to issues).

    A product goes live only if it still passes the basic listing check — at least one SKU with
    a price and stock on hand; otherwise it goes to "issues" with the reason.
    """
    _check_reason(delisted_by)
    now = timezone.now()
    delisted = Product.objects.filter(
        shop_id__in=shop_ids, status=Product.Status.DELISTED, delisted_by=delisted_by
    )
    listable = Exists(SKU.objects.filter(product=OuterRef("pk"), price__gt=0, on_hand__gt=0))
    live = delisted.filter(listable).update(
        status=Product.Status.LIVE, delisted_by="", status_reason="", updated_at=now
    )
    issues = delisted.filter(~listable).update(
        status=Product.Status.ISSUES,
        delisted_by="",
        status_reason=NOT_LISTABLE_REASON,
        updated_at=now,
    )
    return live, issues


def _check_reason(delisted_by: str) -> None:
    if delisted_by not in (Product.DelistedBy.INACTIVITY, Product.DelistedBy.DEACTIVATION):
        raise ValueError(f"Unknown system delisting reason {delisted_by!r}.")
