"""Program eligibility (SPEC §3): six criteria, evaluated on the 1st of each month and on demand.

``shop_is_eligible(shop)`` answers from the latest evaluation; campaign registration calls it.
"""

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from accounts import audit
from common.policy import POLICY
from lifecycle.models import EligibilityEvaluation
from orders.models import Order, OrderStatusChange
from shops.models import Shop, Violation
from shops.order_caps import investigation_daily_order_cap


@dataclass(frozen=True)
class Criterion:
    key: str
    label: str
    value: str
    threshold: str
    passed: bool
    fix: str


def shop_is_eligible(shop: Shop) -> bool:
    """The latest evaluation, and the shop's status now: a shop that has since come under an
    inactivity investigation (or stopped being active) does not qualify until it is back."""
    if not shop_status_qualifies(shop):
        return False
    latest = latest_evaluation(shop)
    return bool(latest and latest.eligible)


def shop_status_qualifies(shop: Shop) -> bool:
    """SPEC §3 "Shop status": active, and not under an inactivity investigation."""
    return shop.status == Shop.Status.ACTIVE and investigation_daily_order_cap(shop) is None


def latest_evaluation(shop: Shop) -> EligibilityEvaluation | None:
    return EligibilityEvaluation.objects.filter(shop=shop).order_by("-evaluated_at", "-id").first()


def evaluate_criteria(shop: Shop, *, now: datetime | None = None) -> list[Criterion]:
    now = now or timezone.now()
    min_sps = POLICY.eligibility_min_sps
    max_points = POLICY.eligibility_max_violation_points
    min_orders = POLICY.eligibility_min_completed_orders
    window = POLICY.eligibility_completed_orders_window_days
    points_window = POLICY.violation_points_window_days

    points = (
        Violation.objects.filter(
            shop=shop, created_at__gte=now - timedelta(days=points_window)
        ).aggregate(total=Sum("points"))["total"]
        or 0
    )
    fraud = Violation.objects.filter(shop=shop, fraud=True).count()
    completed = (
        OrderStatusChange.objects.filter(
            shop=shop,
            to_status=Order.Status.COMPLETED,
            created_at__gte=now - timedelta(days=window),
            order__status=Order.Status.COMPLETED,
        )
        .values("order_id")
        .distinct()
        .count()
    )
    sps = Decimal(shop.sps)
    # A shop still waiting for verification has not even started probation.
    passed_probation = not shop.on_probation and shop.status != Shop.Status.PENDING_VERIFICATION
    return [
        Criterion(
            "sps",
            "Shop Performance Score",
            f"{sps:.2f}",
            f"at least {min_sps:.1f}",
            sps >= min_sps,
            "Ship on time, answer buyers within "
            f"{POLICY.response_rate_answer_hours} hours and keep returns and cancellations low "
            "to raise your score.",
        ),
        Criterion(
            "probation",
            "Seller probation",
            "not started"
            if shop.status == Shop.Status.PENDING_VERIFICATION
            else ("on probation" if shop.on_probation else "passed"),
            "passed",
            passed_probation,
            "Finish verification; probation starts on approval."
            if shop.status == Shop.Status.PENDING_VERIFICATION
            else "Complete probation: see the probation page for what is still needed.",
        ),
        Criterion(
            "violation_points",
            "Violation points",
            str(points),
            f"no more than {max_points}",
            points <= max_points,
            f"Points count for {points_window} days. Follow the listing and fulfilment policies "
            "so no new points are added.",
        ),
        Criterion(
            "fraud",
            "Fraud-related violations",
            str(fraud),
            "none",
            fraud == 0,
            "A fraud-related violation makes the shop ineligible. Contact support to appeal.",
        ),
        Criterion(
            "completed_orders",
            f"Completed orders in the past {window} days",
            str(completed),
            f"at least {min_orders}",
            completed >= min_orders,
            "Grow sales: promote your products and keep popular items in stock.",
        ),
        _status_criterion(shop),
    ]


def _status_criterion(shop: Shop) -> Criterion:
    """Active, and not under an inactivity investigation (delisted, capped): SPEC §3."""
    cap = investigation_daily_order_cap(shop)
    if shop.status == Shop.Status.ACTIVE and cap is not None:  # active, but investigated
        return Criterion(
            "status",
            "Shop status",
            f"Under an inactivity investigation (at most {cap} orders a day)",
            f"{Shop.Status.ACTIVE.label}, not under investigation",
            False,
            "The shop is under investigation after a period of inactivity. Press "
            '"Re-list my store" to end it and bring back the products delisted for inactivity.',
        )
    return Criterion(
        "status",
        "Shop status",
        shop.get_status_display(),
        f"{Shop.Status.ACTIVE.label}, not under investigation",
        shop_status_qualifies(shop),
        "The shop must be active: finish verification or reactivate it.",
    )


def eligibility_evaluate(
    *, shop: Shop, trigger: str, actor=None, now: datetime | None = None
) -> EligibilityEvaluation:
    now = now or timezone.now()
    shop.refresh_from_db()
    criteria = evaluate_criteria(shop, now=now)
    with transaction.atomic():
        evaluation = EligibilityEvaluation.objects.create(
            shop=shop,
            evaluated_at=now,
            trigger=trigger,
            actor=actor,
            eligible=all(c.passed for c in criteria),
            criteria=[asdict(c) for c in criteria],
        )
        audit.record(
            actor=actor,
            action="eligibility.evaluated",
            shop=shop,
            target=evaluation,
            changes={"eligible": (None, evaluation.eligible)},
        )
    return evaluation
