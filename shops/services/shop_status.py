"""The shop's status machine: the one service that changes ``Shop.status``."""

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts import audit
from accounts.models import User
from accounts.sessions import end_sessions_of
from shops.models import SHOP_STATUS_ALLOWED, Shop, ShopStatusChange

# Statuses that take the shop away from its members: their sessions end everywhere (SPEC §4).
ENDS_SESSIONS = {Shop.Status.BANNED, Shop.Status.DELETED}


def shop_set_status(
    *,
    shop: Shop,
    actor,
    to: str,
    reason: str = "",
    audit_action: str = "shop.status_changed",
    ip: str | None = None,
) -> Shop:
    """The one writer of Shop.status: checks SHOP_STATUS_ALLOWED, keeps the history, audits."""
    with transaction.atomic():
        locked = Shop.objects.select_for_update().get(pk=shop.pk)
        before = locked.status
        if to not in SHOP_STATUS_ALLOWED.get(before, set()):
            raise ValidationError(
                f"A shop cannot go from {locked.get_status_display()} to {Shop.Status(to).label}."
            )
        Shop.objects.filter(pk=shop.pk).update(status=to)
        ShopStatusChange.objects.create(
            shop=shop, from_status=before, to_status=to, actor=actor, reason=reason[:255]
        )
        audit.record(
            actor=actor,
            action=audit_action,
            shop=shop,  # by id only: a deleted shop's name must not survive in the audit trail
            changes={"status": (before, to), "reason": ("", reason)},
            ip=ip,
        )
        if to in ENDS_SESSIONS:
            end_sessions_of(User.objects.filter(memberships__shop=shop))
    shop.status = to
    return shop
