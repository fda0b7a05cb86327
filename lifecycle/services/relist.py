"""Re-listing a store the inactivity sweep delisted (SPEC §9.2)."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from accounts import audit
from catalog.models import Product
from catalog.services.system import products_system_relist
from common.errors import Refused
from lifecycle.models import InactivityEpisode
from lifecycle.selectors import forget_inactivity_banner
from shops import activity
from shops.models import Shop


class RelistRefused(Refused):
    """The shop cannot re-list (banned, deactivated, deleted); nothing was changed."""


@dataclass(frozen=True)
class RelistResult:
    went_live: int
    went_to_issues: int
    investigation_ended: bool


def shop_relist(*, shop: Shop, actor, ip: str | None = None) -> RelistResult:
    """Products the sweep delisted go live again (or to "issues" when they no longer pass the
    listing check); products the seller deactivated stay so; the investigation period ends and
    the inactivity episode closes."""
    with transaction.atomic():
        locked = Shop.objects.select_for_update().get(pk=shop.pk)
        if locked.status == Shop.Status.BANNED:
            raise RelistRefused(
                "This shop is banned permanently and cannot be re-listed. Contact platform support."
            )
        if locked.status != Shop.Status.ACTIVE:
            raise RelistRefused(
                f"A {locked.get_status_display().lower()} shop cannot be re-listed."
            )
        went_live, issues = products_system_relist(
            shop_ids=[shop.pk], delisted_by=Product.DelistedBy.INACTIVITY, actor=actor
        )
        investigation_ended = locked.in_investigation
        Shop.objects.filter(pk=shop.pk).update(in_investigation=False)
        shop.in_investigation = False
        InactivityEpisode.objects.filter(shop=shop, closed_at__isnull=True).update(
            closed_at=timezone.now(), closed_reason="relisted"
        )
        forget_inactivity_banner([shop.pk])
        if went_live or issues:
            activity.record(shop=shop, kind=activity.Kind.PRODUCT_MODIFIED, actor=actor)
        audit.record(
            actor=actor,
            action="lifecycle.relist",
            shop=shop,
            changes={
                "in_investigation": (investigation_ended, False),
                "products_live": (0, went_live),
                "products_issues": (0, issues),
            },
            ip=ip,
        )
    return RelistResult(went_live, issues, investigation_ended)
