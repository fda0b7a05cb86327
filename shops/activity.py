"""SPEC §9.1 activity: the one way a seller's activity is recorded.

``record(shop=, kind=, actor=)`` writes an ActivityEvent and moves ``Shop.last_activity_at``
forward (never backward), which is all the inactivity sweep reads.
"""

from datetime import datetime

from django.db.models import F, Q
from django.db.models.functions import Greatest
from django.utils import timezone

from shops.models import ActivityEvent, Shop

Kind = ActivityEvent.Kind
# Signal for the layers above (lifecycle closes an inactivity episode on any activity).
from django.dispatch import Signal  # noqa: E402

activity_recorded = Signal()  # sender=Shop, shop_ids=[...], kind=..., at=...


def record(*, shop: Shop, kind: str, actor=None, at: datetime | None = None) -> ActivityEvent:
    at = at or timezone.now()
    event = ActivityEvent.objects.create(shop=shop, kind=kind, actor=actor, occurred_at=at)
    _advance(shop_ids=[shop.pk], at=at)
    shop.last_activity_at = max(shop.last_activity_at, at) if shop.last_activity_at else at
    activity_recorded.send(sender=Shop, shop_ids=[shop.pk], kind=kind, at=at)
    return event


def record_for_shops(
    *, shop_ids: list[int], kind: str, actor=None, at: datetime | None = None
) -> None:
    """The same for many shops at once (a sign-in counts for every shop of the user)."""
    if not shop_ids:
        return
    at = at or timezone.now()
    ActivityEvent.objects.bulk_create(
        ActivityEvent(shop_id=sid, kind=kind, actor=actor, occurred_at=at) for sid in shop_ids
    )
    _advance(shop_ids=shop_ids, at=at)
    activity_recorded.send(sender=Shop, shop_ids=list(shop_ids), kind=kind, at=at)


def _advance(*, shop_ids: list[int], at: datetime) -> None:
    Shop.objects.filter(pk__in=shop_ids).filter(
        Q(last_activity_at__lt=at) | Q(last_activity_at__isnull=True)
    ).update(last_activity_at=Greatest(F("last_activity_at"), at))
