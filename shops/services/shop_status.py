"""The shop's status machine: the one service that changes ``Shop.status``."""

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts import audit
from shops.models import SHOP_STATUS_ALLOWED, Shop, ShopStatusChange


def shop_set_status(*, shop: Shop, actor, to: str, reason: str = "") -> Shop:
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
            action="shop.status_changed",
            shop=shop,
            target=shop,
            changes={"status": (before, to), "reason": ("", reason)},
        )
    shop.status = to
    return shop
