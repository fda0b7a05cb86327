"""Platform staff decisions about a shop, taken in the staff console (the Django admin).

Each service validates, writes, and leaves exactly one audit record (by shop id, no target: a
deleted shop's name must not survive in the audit trail). Status changes go through
``shop_set_status`` (through the transition helper, the one writer of ``Shop.status``), which
writes that record itself.
Refusals are common.errors.DomainErrors whose message the admin shows as it is.
"""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum

from accounts import audit
from common.errors import BadInput, Refused
from shops.models import Shop, Violation
from shops.notifications import email_shop_owners
from shops.services.shop_status import shop_columns_set, shop_set_status

S = Shop.Status


def shop_suspend(*, shop: Shop, actor, reason: str) -> Shop:
    """Take the shop offline for a policy reason; the storefront refuses orders meanwhile."""
    reason = _required_reason(reason)
    if shop.status == S.SUSPENDED:
        raise Refused(f"{shop.name} is already suspended.")
    if shop.status not in (S.ACTIVE, S.DEACTIVATED):
        raise BadInput(
            f"Only an active or deactivated shop can be suspended; {shop.name} is "
            f"{shop.get_status_display().lower()}."
        )
    with transaction.atomic():
        shop_set_status(shop=shop, actor=actor, to=S.SUSPENDED, reason=reason)
        email_shop_owners(
            shop=shop,
            subject=f"{shop.name} has been suspended",
            body=(
                f"Platform staff suspended {shop.name}. Buyers cannot order from it until the "
                f"suspension is lifted.\n\nReason: {reason}\n\nReply from Help in Seller Center "
                "if you have questions."
            ),
        )
    return shop


def shop_reinstate(*, shop: Shop, actor, reason: str) -> Shop:
    """Lift a staff suspension: the shop is active again."""
    reason = _required_reason(reason)
    if shop.status != S.SUSPENDED:
        raise Refused(f"{shop.name} is not suspended.")
    return shop_set_status(shop=shop, actor=actor, to=S.ACTIVE, reason=reason)


def shop_ban(*, shop: Shop, actor, reason: str) -> Shop:
    """Ban the shop permanently (staff can lift it; Shop.ALLOWED says from where)."""
    reason = _required_reason(reason)
    if shop.status == S.BANNED:
        raise Refused(f"{shop.name} is already banned.")
    with transaction.atomic():
        shop_set_status(shop=shop, actor=actor, to=S.BANNED, reason=reason)
        email_shop_owners(
            shop=shop,
            subject=f"{shop.name} has been banned",
            body=f"Platform staff banned {shop.name}.\n\nReason: {reason}",
        )
    return shop


def shop_end_investigation(*, shop: Shop, actor, reason: str) -> Shop:
    """End the investigation period: the investigation order cap stops. Delisted products stay
    delisted until the seller re-lists them (SPEC §9.2)."""
    reason = _required_reason(reason)
    with transaction.atomic():
        locked = Shop.objects.select_for_update().get(pk=shop.pk)
        if not locked.in_investigation:
            raise Refused(f"{shop.name} is not in an investigation period.")
        shop_columns_set(
            shop, actor=actor, action="shop.investigation_ended", in_investigation=False,
            changes={"in_investigation": (True, False), "reason": ("", reason)},
        )  # fmt: skip
    return shop


def shop_set_deposit(*, shop: Shop, actor, paid: bool) -> Shop:
    """Mark the store deposit paid (waives an inactivity ban, SPEC §9.2) or refunded."""
    with transaction.atomic():
        locked = Shop.objects.select_for_update().get(pk=shop.pk)
        if locked.store_deposit_paid == paid:
            state = "paid" if paid else "not paid (or already refunded)"
            raise Refused(f"The store deposit of {shop.name} is already {state}.")
        shop_columns_set(
            shop, actor=actor, action="shop.deposit_paid" if paid else "shop.deposit_refunded",
            store_deposit_paid=paid, changes={"store_deposit_paid": (not paid, paid)},
        )  # fmt: skip
    return shop


def shop_set_sps(*, shop: Shop, actor, sps: Decimal, reason: str) -> Shop:
    """Set the Shop Performance Score (0–5), standing in for the system that computes it."""
    reason = _required_reason(reason)
    if sps is None or not Decimal("0") <= sps <= Decimal("5"):
        raise BadInput("The SPS is a score from 0 to 5.")
    sps = sps.quantize(Decimal("0.01"))
    with transaction.atomic():
        locked = Shop.objects.select_for_update().get(pk=shop.pk)
        before = locked.sps
        shop_columns_set(
            shop, actor=actor, action="shop.sps_set", sps=sps,
            changes={"sps": (before, sps), "reason": ("", reason)},
        )  # fmt: skip
    return shop


def violation_adjust(
    *, shop: Shop, actor, points: int, reason: str, fraud: bool = False
) -> Violation:
    """Add a ledger entry: positive for a violation, negative to correct the total. The total
    (the sum) never goes below zero."""
    reason = _required_reason(reason)
    if not points:
        raise BadInput("Enter a number of points other than zero.")
    if points < 0 and fraud:
        raise BadInput("A correction (negative points) cannot be fraud-related.")
    with transaction.atomic():
        Shop.objects.select_for_update().get(pk=shop.pk)  # one adjustment at a time per shop
        total = Violation.objects.filter(shop=shop).aggregate(t=Sum("points"))["t"] or 0
        if total + points < 0:
            raise BadInput(
                f"{shop.name} has {total} violation points; a correction cannot take it below 0."
            )
        violation = Violation.objects.create(
            shop=shop, points=points, reason=reason[:255], fraud=fraud, actor=actor
        )
        audit.record(
            actor=actor,
            action="shop.violation_points_adjusted",
            shop=shop,
            changes={"violation_points": (total, total + points), "reason": ("", reason)},
        )
    return violation


def probation_set(*, shop: Shop, actor, on: bool, reason: str, until: date | None = None):
    """Staff end probation, or keep the shop on it until a date (shops.services.probation)."""
    from shops.services.probation import probation_end, probation_extend

    reason = _required_reason(reason)
    if on:
        if until is None:
            raise BadInput("Say until when the shop stays on probation.")
        return probation_extend(shop=shop, actor=actor, until=until, reason=reason)
    return probation_end(shop=shop, actor=actor, reason=reason)


def violation_points(shop: Shop) -> int:
    return Violation.objects.filter(shop=shop).aggregate(t=Sum("points"))["t"] or 0


def _required_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise BadInput("Give a reason: it is kept in the audit log.")
    return reason
