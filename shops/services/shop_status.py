"""The shop's status machine: the one service that changes ``Shop.status``; and the one way to
set its other staff-run columns (probation, investigation, deposit, score)."""

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts import audit
from accounts.models import User
from accounts.sessions import end_sessions_of
from common.transitions import transition
from shops.models import Shop


def shop_set_status(
    *,
    shop: Shop,
    actor,
    to: str,
    reason: str = "",
    audit_action: str = "shop.status_changed",
    ip: str | None = None,
) -> Shop:
    """Change Shop.status through the transition helper (Shop.ALLOWED, a ShopStatusChange row),
    audit it, and end the members' sessions when the shop is taken away from them."""
    with transaction.atomic():
        moved = transition(
            shop,
            to,
            history={"actor": actor, "reason": reason[:255]},
            refused=lambda row: (
                f"A shop cannot go from {row.get_status_display()} to {Shop.Status(to).label}."
            ),
            error=ValidationError,
        )
        audit.record(
            actor=actor,
            action=audit_action,
            shop=shop,  # by id only: a deleted shop's name must not survive in the audit trail
            changes={"status": (moved.from_status, to), "reason": ("", reason)},
            ip=ip,
        )
        if to in Shop.CLOSED:  # taken away from its members: their sessions end (SPEC §4)
            end_sessions_of(User.objects.filter(memberships__shop=shop))
    return shop


def shop_columns_set(shop: Shop, *, actor, action: str, changes=None, target=None, **columns):
    """Write these columns of the shop's row (never ``status``: shop_set_status does), keep the
    caller's instance in step, and record ``action`` in the audit log."""
    if "status" in columns:
        raise ValueError("Shop.status changes through shop_set_status.")
    Shop.objects.filter(pk=shop.pk).update(**columns)
    for name, value in columns.items():
        setattr(shop, name, value)
    audit.record(actor=actor, action=action, shop=shop, target=target, changes=changes)
