"""The order state machine (SPEC §6): ``order_transition`` moves an order.

The transition helper (common.transitions) locks the order row, checks ``Order.ALLOWED`` and
writes the history row; this keeps the per-status counts, records seller activity (SPEC §9.1),
and sends ``order_status_changed`` on commit.
"""

import os
from datetime import datetime

from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone

from common.errors import IllegalTransition
from common.transitions import transition
from orders.models import Order, OrderStatusChange, OrderStatusCount
from orders.signals import order_status_changed
from shops import activity
from shops.models import Shop

ActorKind = OrderStatusChange.ActorKind


def order_transition(
    *,
    order: Order,
    to_status: str,
    actor=None,
    actor_kind: str,
    note: str = "",
    at: datetime | None = None,
) -> Order:
    """Move ``order`` to ``to_status`` or raise IllegalTransition naming its current state.

    The caller's ``order`` object is refreshed from the locked row, so two concurrent requests
    cannot both make the same step.
    """
    at = at or timezone.now()
    with transaction.atomic():
        moved = transition(
            order,
            to_status,
            fields=lambda locked: _fields_moving(locked, order, to_status, at),
            history={
                "actor": actor if actor_kind in (ActorKind.SELLER, ActorKind.STAFF) else None,
                "actor_kind": actor_kind,
                "note": note[:1000],
                "created_at": at,
            },
            refused=lambda locked: (
                f"Order {locked.number} is {locked.get_status_display().lower()}; "
                f"it cannot become {Order.Status(to_status).label.lower()}."
            ),
            error=IllegalTransition,
        )
        locked, current = moved.row, moved.from_status
        # Lock order across services: SKU rows → shop row → counter rows (no deadlock cycles).
        if actor_kind == ActorKind.SELLER:
            activity.record(shop=locked.shop, kind=activity.Kind.ORDER_PROCESSED, actor=actor)
        order_counts_move(shop_id=locked.shop_id, from_status=current, to_status=to_status)
        transaction.on_commit(
            lambda: order_status_changed.send(
                sender=Order,
                shop=locked.shop,
                order=locked,
                from_status=current,
                to_status=to_status,
                actor=actor,
            )
        )
    return order


def _fields_moving(locked: Order, order: Order, to_status: str, at: datetime) -> dict:
    """What else changes on an order with its status: the delivery time, who cancelled and why
    (set by the cancelling service on the caller's object)."""
    if to_status == Order.Status.DELIVERED:
        return {"delivered_at": at}
    if to_status == Order.Status.CANCELLED:
        return {"cancelled_by": order.cancelled_by, "cancel_reason": order.cancel_reason}
    return {}


def lock_shop_row_for_counters(shop_id: int) -> None:
    """Serialise counter rebuilds on the shop row with FOR NO KEY UPDATE, not FOR UPDATE: the
    foreign-key checks of every order written for the shop (deferred to commit) take FOR KEY
    SHARE on that row, which FOR UPDATE blocks — a checkout waiting here for a counter row held
    by a committing checkout deadlocked with it (make bench, concurrent first orders)."""
    Shop.objects.select_for_update(no_key=True).filter(pk=shop_id).values_list("pk").first()


def order_counts_move(*, shop_id: int, from_status: str | None, to_status: str) -> None:
    """Keep the per-status counts in step with one order's change (same transaction, after the
    order row is written): one UPDATE per counter row, in status order, in this process's slot.

    A shop without counter rows yet (its first order, or orders bulk-loaded) is recounted from
    the orders instead, under the shop row's lock: a concurrent first order waits, then finds
    the rows and adds its own step. A slot's rows are made the first time it is used.
    """
    steps = {to_status: 1} | ({from_status: -1} if from_status else {})
    slot = _counter_slot()
    counts = OrderStatusCount.objects.filter(shop_id=shop_id)
    missing = [
        status
        for status in sorted(steps)
        if not counts.filter(status=status, slot=slot).update(count=F("count") + steps[status])
    ]
    if not missing:
        return
    if not counts.exists():
        lock_shop_row_for_counters(shop_id)
        if not counts.exists():
            order_counts_rebuild(shop=Shop(pk=shop_id))
            return
    # This slot's first change (or the rows were made while this one waited for the lock).
    OrderStatusCount.objects.bulk_create(
        [
            OrderStatusCount(shop_id=shop_id, status=status, slot=slot, count=0)
            for status in missing
        ],
        ignore_conflicts=True,
    )
    for status in missing:
        counts.filter(status=status, slot=slot).update(count=F("count") + steps[status])


def _counter_slot() -> int:
    """One slot per process: every change a transaction makes lands in the same rows (the lock
    order within it stays the status order), and gunicorn's workers, forked one after another
    with consecutive pids, each write their own."""
    return os.getpid() % OrderStatusCount.SLOTS


def order_counts_rebuild(*, shop: Shop) -> dict[str, int]:
    """Recount a shop's orders per status (after bulk loads; a repair for operators)."""
    with transaction.atomic():
        rows = dict(
            Order.objects.filter(shop=shop).values_list("status").annotate(n=Count("id")).order_by()
        )
        OrderStatusCount.objects.filter(shop=shop).delete()
        OrderStatusCount.objects.bulk_create(
            [
                OrderStatusCount(shop=shop, status=status, count=rows.get(status, 0))
                for status in Order.Status.values
            ],
            ignore_conflicts=True,
        )
    return rows
