"""Probation graduation (SPEC §3), checked daily: at least 30 delivered orders, SPS at least 3.0
and no violation in the last 30 days. It reads orders, so it lives here; the state is in shops."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone
from django_scopes import scope, scopes_disabled

from common.clock import local_time
from common.policy import POLICY
from orders.models import Order
from shops.models import Shop, ShopProbation, Violation
from shops.services.probation import probation_end


@dataclass(frozen=True)
class Requirement:
    label: str
    value: str
    threshold: str
    met: bool


def probation_progress(shop: Shop, *, now: datetime | None = None) -> list[Requirement]:
    now = now or timezone.now()
    min_delivered = POLICY.probation_min_delivered_orders
    min_sps = POLICY.probation_min_sps
    clean_days = POLICY.probation_violation_free_days
    delivered = Order.objects.filter(
        shop=shop, status__in=[Order.Status.DELIVERED, Order.Status.COMPLETED]
    ).count()
    # Negative entries are staff corrections in the ledger, not violations.
    recent = Violation.objects.filter(
        shop=shop, points__gt=0, created_at__gte=now - timedelta(days=clean_days)
    )
    last = recent.order_by("-created_at").first()
    sps = Decimal(shop.sps)
    requirements = [
        Requirement(
            "Delivered orders",
            str(delivered),
            f"at least {min_delivered}",
            delivered >= min_delivered,
        ),
        Requirement(
            "Shop Performance Score", f"{sps:.2f}", f"at least {min_sps:.1f}", sps >= min_sps
        ),
        Requirement(
            f"Violations in the last {clean_days} days",
            "none"
            if last is None
            else f"{recent.count()} (last on {local_time(last.created_at):%b %-d})",
            "none",
            last is None,
        ),
    ]
    probation = ShopProbation.objects.filter(shop=shop).first()
    if probation and probation.extended_until:
        today = timezone.localtime(now).date()
        requirements.append(
            Requirement(
                "Extended by platform staff until",
                f"{probation.extended_until:%b %-d, %Y}",
                "date passed",
                today >= probation.extended_until,
            )
        )
    return requirements


def probation_sweep(*, now: datetime | None = None) -> int:
    """End probation for every active shop on probation whose requirements all hold."""
    now = now or timezone.now()
    ended = 0
    with scopes_disabled():
        shops = list(Shop.objects.filter(on_probation=True, status=Shop.Status.ACTIVE))
    for shop in shops:
        with scope(shop=shop):
            requirements = probation_progress(shop, now=now)
            if all(r.met for r in requirements):
                probation_end(
                    shop=shop,
                    actor=None,
                    reason="Probation requirements met: "
                    + "; ".join(f"{r.label}: {r.value}" for r in requirements),
                )
                ended += 1
    return ended
