"""System delisting and relisting of products (SPEC §5 "delisted", §9.2, §9.3).

The only place the platform (not the seller) takes products offline and brings them back.
Set-based through the transition helper: one locking SELECT, one UPDATE and one INSERT of
history rows per call, whatever the number of shops, so the daily inactivity sweep stays a
handful of statements. ``delisted_by`` remembers why, so re-listing brings back exactly what
the system took down and never what the seller deactivated.
"""

from collections import Counter
from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils import timezone

from catalog.models import Product, ProductStatusChange
from catalog.services.products.listing import listing_issues_many
from catalog.services.products.status import live_count, shop_live_refusal
from common.policy import POLICY
from common.transitions import transition_bulk
from shops.models import Shop

# What the history of each product says about the system's move, by why it was delisted.
DELISTED_BECAUSE = {
    Product.DelistedBy.INACTIVITY: "Delisted by the inactivity sweep: the shop was inactive.",
    Product.DelistedBy.DEACTIVATION: "Delisted because the shop was deactivated.",
}
RELISTED_BECAUSE = {
    Product.DelistedBy.INACTIVITY: "Back from the inactivity delisting: the store was re-listed.",
    Product.DelistedBy.DEACTIVATION: "Back from the deactivation: the shop was reactivated.",
}
# Products re-listed per round of checks and moves (a whole catalogue may come back at once).
RELIST_CHUNK = 5000
# The columns a move and its history row need: a whole catalogue is read at once.
_MOVE_COLUMNS = ("pk", "shop_id", "status")


def products_system_delist(
    *, shop_ids: QuerySet | Iterable[int], delisted_by: str, actor=None
) -> int:
    """Every live product of these shops becomes delisted (by ``delisted_by``). Returns how many."""
    return sum(
        products_system_delist_by_shop(
            shop_ids=shop_ids, delisted_by=delisted_by, actor=actor
        ).values()
    )


def products_system_delist_by_shop(
    *, shop_ids: QuerySet | Iterable[int], delisted_by: str, actor=None
) -> Counter[int]:
    """Every live product of these shops becomes delisted; how many per shop id (a shop with
    no live product is absent).

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
    return Counter(row.shop_id for row in moved.moved)


def products_system_relist(
    *, shop_ids: QuerySet | Iterable[int], delisted_by: str, actor=None
) -> tuple[int, int]:
    """Products the system delisted (by ``delisted_by``) come back: (went live, went to issues).

    A product goes live only if it passes the same checks as publishing — the listing checks on
    *available* stock (stock reserved by open orders does not count) and, for a shop on
    probation, the live-listing cap. One that fails goes to "issues" with the reason.
    """
    _check_reason(delisted_by)
    delisted = Product.objects.filter(
        shop_id__in=shop_ids, status=Product.Status.DELISTED, delisted_by=delisted_by
    ).only(*_MOVE_COLUMNS)
    ids = list(delisted.order_by("pk").values_list("pk", flat=True))
    went_live = went_to_issues = 0
    for start in range(0, len(ids), RELIST_CHUNK):
        live, issues = _relist_chunk(
            delisted.filter(pk__in=ids[start : start + RELIST_CHUNK]), delisted_by, actor
        )
        went_live, went_to_issues = went_live + live, went_to_issues + issues
    return went_live, went_to_issues


def _relist_chunk(chunk: QuerySet, delisted_by: str, actor) -> tuple[int, int]:
    now = timezone.now()
    reasons = {pk: " ".join(issues) for pk, issues in listing_issues_many(chunk).items()}
    _over_probation_cap(chunk, reasons)
    live = transition_bulk(
        chunk.filter(pk__in=[pk for pk, reason in reasons.items() if not reason]),
        Product.Status.LIVE,
        fields={"delisted_by": "", "status_reason": "", "updated_at": now},
        history=_history(actor, RELISTED_BECAUSE[delisted_by]),
    )
    went_to_issues = 0
    for reason, pks in _grouped(reasons).items():
        went_to_issues += len(
            transition_bulk(
                chunk.filter(pk__in=pks),
                Product.Status.ISSUES,
                fields={"delisted_by": "", "status_reason": reason, "updated_at": now},
                history=_history(actor, reason),
            ).moved
        )
    return len(live.moved), went_to_issues


def _over_probation_cap(delisted: QuerySet, reasons: dict[int, str]) -> None:
    """A shop on probation brings back no more than its live-listing cap allows; the rest get
    the cap as their reason (the first passing products, by id, take the room)."""
    by_shop: dict[int, list[int]] = {}
    for pk, shop_id in delisted.filter(pk__in=[p for p, r in reasons.items() if not r]).values_list(
        "pk", "shop_id"
    ):
        by_shop.setdefault(shop_id, []).append(pk)
    for shop in Shop.objects.filter(pk__in=list(by_shop), on_probation=True):
        room = max(POLICY.probation_live_listing_cap - live_count(shop=shop), 0)
        for pk in sorted(by_shop[shop.pk])[room:]:
            reasons[pk] = shop_live_refusal(shop=shop, adding=len(by_shop[shop.pk])) or ""


def _grouped(reasons: dict[int, str]) -> dict[str, list[int]]:
    """The failing products by their reason: one bulk move per distinct reason."""
    groups: dict[str, list[int]] = {}
    for pk, reason in reasons.items():
        if reason:
            groups.setdefault(reason, []).append(pk)
    return groups


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
