"""Probation state (SPEC §3): started on approval; ended by the daily check (lifecycle) or by
staff, who can also extend it. ``Shop.on_probation`` mirrors the open ShopProbation row."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from common.errors import BadInput, Refused
from common.policy import POLICY
from shops.models import Shop, ShopProbation
from shops.notifications import email_shop_owners
from shops.services.shop_status import shop_columns_set


def live_listing_cap(shop: Shop) -> int | None:
    return POLICY.probation_live_listing_cap if shop.on_probation else None


def probation_start(*, shop: Shop, actor) -> ShopProbation | None:
    """Start probation once per shop: a shop re-approved later does not go back on probation."""
    with transaction.atomic():
        probation, created = ShopProbation.objects.get_or_create(shop=shop)
        if not created:
            return None
        shop_columns_set(
            shop, actor=actor, action="probation.started", target=shop, on_probation=True
        )
    return probation


def probation_end(*, shop: Shop, actor, reason: str) -> ShopProbation:
    """End probation now: the daily check when the rule holds, or staff (``actor``) by hand."""
    with transaction.atomic():
        probation = ShopProbation.objects.select_for_update().filter(shop=shop).first()
        if probation is None or probation.ended_at is not None:
            raise Refused("This shop is not on probation.")
        probation.ended_at = timezone.now()
        probation.ended_by = actor
        probation.end_reason = reason[:255]
        probation.save(update_fields=["ended_at", "ended_by", "end_reason"])
        shop_columns_set(
            shop, actor=actor, action="probation.ended", target=shop, on_probation=False,
            changes={"on_probation": (True, False), "reason": ("", reason)},
        )  # fmt: skip
        email_shop_owners(
            shop=shop,
            subject=f"{shop.name} has passed probation",
            body=(
                f"Good news: {shop.name} is no longer on probation. The daily order cap and the "
                "live-listing cap no longer apply.\n\n" + reason
            ),
        )
    return probation


def probation_extend(*, shop: Shop, actor, until: date, reason: str) -> ShopProbation:
    """Staff: keep the shop on probation at least until ``until``."""
    if until <= timezone.localdate():
        raise BadInput("Extend probation to a date in the future.", field="until")
    with transaction.atomic():
        probation = ShopProbation.objects.select_for_update().filter(shop=shop).first()
        if probation is None:
            raise Refused("This shop has not been approved yet.")
        before = probation.extended_until
        probation.extended_until = until
        probation.ended_at = None
        probation.ended_by = None
        probation.end_reason = ""
        probation.save()
        shop_columns_set(
            shop, actor=actor, action="probation.extended", target=shop, on_probation=True,
            changes={"extended_until": (before, until), "reason": ("", reason)},
        )  # fmt: skip
    return probation
