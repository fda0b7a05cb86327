"""The order state machine (SPEC §6): ``order_transition`` moves an order.

The transition helper (common.transitions) locks the order row, checks ``Order.ALLOWED`` and
writes the history row; this records seller activity (SPEC §9.1) and sends
``order_status_changed`` on commit (the tab counts and Home's figures are forgotten by its
receivers, orders.analytics.receivers).
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from common.errors import IllegalTransition
from common.transitions import transition
from orders.models import Order, OrderStatusChange
from orders.signals import order_status_changed
from shops import activity

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
        if actor_kind == ActorKind.SELLER:
            activity.record(shop=locked.shop, kind=activity.Kind.ORDER_PROCESSED, actor=actor)
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
