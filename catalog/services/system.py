"""System delisting and relisting of products (SPEC §5 "delisted", §9.2, §9.3).

The only place the platform (not the seller) takes products offline and brings them back.
Set-based through the transition helper: one locking SELECT, one UPDATE and one INSERT of
history rows per call, whatever the number of shops, so the daily inactivity sweep stays a
handful of statements. ``delisted_by`` remembers why, so re-listing brings back exactly what
the system took down and never what the seller deactivated.
"""

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from catalog.models import SKU, Product, ProductStatusChange
from common.transitions import transition_bulk

# Why a re-listed product could not go live; shown to the seller on the product.
NOT_LISTABLE_REASON = "No variant has a price and stock: add stock or a price, then resubmit."
# What the history of each product says about the system's move, by why it was delisted.
DELISTED_BECAUSE = {
    Product.DelistedBy.INACTIVITY: "Delisted by the inactivity sweep: the shop was inactive.",
    Product.DelistedBy.DEACTIVATION: "Delisted because the shop was deactivated.",
}
RELISTED_BECAUSE = {
    Product.DelistedBy.INACTIVITY: "Back from the inactivity delisting: the store was re-listed.",
    Product.DelistedBy.DEACTIVATION: "Back from the deactivation: the shop was reactivated.",
}
# The columns a move and its history row need: a whole catalogue is read at once.
_MOVE_COLUMNS = ("pk", "shop_id", "status")


def products_system_delist(
    *, shop_ids: QuerySet | Iterable[int], delisted_by: str, actor=None
) -> int:
    """Every live product of these shops becomes delisted (by ``delisted_by``). Returns how many.

    ``shop_ids`` may be a queryset of shop ids (``.values("shop_id")``): it stays a subquery.
    Callers disable or set the tenant scope (this crosses shops by design).
    """
    _check_reason(delisted_by)
    live = Product.objects.filter(shop_id__in=shop_ids, status=Product.Status.LIVE)
    moved = transition_bulk(
        live.only(*_MOVE_COLUMNS),
        Product.Status.DELISTED,
        fields={"delisted_by": delisted_by, "updated_at": timezone.now()},
        history=_history(actor, DELISTED_BECAUSE[delisted_by]),
    )
    return len(moved.moved)


def products_system_relist(
    *, shop_ids: QuerySet | Iterable[int], delisted_by: str, actor=None
) -> tuple[int, int]:
    """Products the system delisted (by ``delisted_by``) come back: (went live, went to issues).

    A product goes live only if it still passes the basic listing check — at least one SKU with
    a price and stock on hand; otherwise it goes to "issues" with the reason.
    """
    _check_reason(delisted_by)
    now = timezone.now()
    delisted = Product.objects.filter(
        shop_id__in=shop_ids, status=Product.Status.DELISTED, delisted_by=delisted_by
    ).only(*_MOVE_COLUMNS)
    listable = Exists(SKU.objects.filter(product=OuterRef("pk"), price__gt=0, on_hand__gt=0))
    live = transition_bulk(
        delisted.filter(listable),
        Product.Status.LIVE,
        fields={"delisted_by": "", "status_reason": "", "updated_at": now},
        history=_history(actor, RELISTED_BECAUSE[delisted_by]),
    )
    issues = transition_bulk(
        delisted.filter(~listable),
        Product.Status.ISSUES,
        fields={"delisted_by": "", "status_reason": NOT_LISTABLE_REASON, "updated_at": now},
        history=_history(actor, NOT_LISTABLE_REASON),
    )
    return len(live.moved), len(issues.moved)


def _history(actor, reason: str) -> dict:
    """The system moves the product; ``actor`` is the person who asked for it, if anyone."""
    return {
        "by": ProductStatusChange.By.SYSTEM,
        "actor": actor if getattr(actor, "pk", None) else None,
        "reason": reason,
    }


def _check_reason(delisted_by: str) -> None:
    if delisted_by not in DELISTED_BECAUSE:
        raise ValueError(f"Unknown system delisting reason {delisted_by!r}.")
