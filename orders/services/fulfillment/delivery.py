"""After shipment: carrier events move packages (and the order with them), and delivered orders
complete after the return window."""

import re
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from common.errors import BadInput, IllegalTransition, NotFound
from common.policy import POLICY
from common.transitions import transition
from orders.models import Order, Package
from orders.services.fulfillment.rules import advance_after_packages
from orders.services.transitions import ActorKind, order_transition
from shops.models import Shop


def package_carrier_event(
    *,
    carrier: str,
    tracking_number: str,
    event: str,
    at: datetime | None = None,
    actor=None,
    actor_kind: str = ActorKind.CARRIER,
) -> list[Package]:
    """A carrier (webhook) reports the parcel with this tracking number in transit or delivered.

    Tracking numbers are unique per shop and carrier, not across shops (one shop's number never
    blocks, or tells anything to, another): every package recorded under the number moves, in
    one transaction. Returns them; NotFound when there is none.
    """
    number = re.sub(r"\s+", "", tracking_number or "").upper()
    with scopes_disabled():
        found = list(
            Package.objects.filter(carrier=carrier, tracking_number=number)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    if not found:
        _check_event(event, at)
        raise NotFound("No package has that tracking number.")
    with transaction.atomic():
        return [
            package_event(package_id=pk, event=event, at=at, actor=actor, actor_kind=actor_kind)
            for pk in found
        ]


def package_event(
    *,
    package_id: int,
    event: str,
    at: datetime | None = None,
    actor=None,
    actor_kind: str = ActorKind.CARRIER,
) -> Package:
    """One package in transit or delivered (a carrier event, or staff standing in for it).

    Replays of an event already applied change nothing. The order follows its packages. The
    event's time may not be in the future (beyond the signed-webhook tolerance for clock skew)
    nor before the package shipped or its previous event: the delivery time starts the return
    window, so an old time would shorten it.
    """
    at = _check_event(event, at)
    with scopes_disabled():
        shop_id = Package.objects.values_list("shop_id", flat=True).get(pk=package_id)
    shop = Shop.objects.get(pk=shop_id)
    with scope(shop=shop), transaction.atomic():
        package = Package.objects.select_for_update().get(pk=package_id)
        if package.status == event:
            return package
        _refuse_earlier_than_known(package, at)
        stamp = "in_transit_at" if event == Package.Status.IN_TRANSIT else "delivered_at"
        number = package.tracking_number
        transition(
            package,
            event,
            fields={stamp: at},
            history={"actor": actor if actor_kind == ActorKind.STAFF else None, "at": at},
            refused=lambda locked: (
                f"Package {number} is {locked.get_status_display().lower()}; "
                f"it cannot become {Package.Status(event).label.lower()}."
            ),
            error=IllegalTransition,
        )
        order = Order.objects.select_for_update().get(pk=package.order_id)
        if not order.is_to_ship:
            advance_after_packages(
                order=order,
                actor=actor,
                actor_kind=actor_kind,
                note=f"{package.get_carrier_display()} {number}: {package.get_status_display()}",
                at=at,
            )
    return package


def _check_event(event: str, at: datetime | None) -> datetime:
    if event not in (Package.Status.IN_TRANSIT, Package.Status.DELIVERED):
        raise BadInput("The event must be in_transit or delivered.", field="event")
    now = timezone.now()
    if at is not None and at > now + timedelta(minutes=POLICY.webhook_timestamp_tolerance_minutes):
        raise BadInput("The event time is in the future.", field="occurred_at")
    return at or now


def _refuse_earlier_than_known(package: Package, at: datetime) -> None:
    before = max(t for t in (package.shipped_at, package.in_transit_at) if t is not None)
    if at < before:
        what = "shipped" if before == package.shipped_at else "went in transit"
        raise BadInput(f"The event time is before the package {what}.", field="occurred_at")


def complete_delivered_orders(*, now: datetime | None = None) -> int:
    """Beat: delivered orders whose return window has passed become completed (SPEC §6)."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=POLICY.return_window_days)
    with scopes_disabled():
        due = list(
            Order.objects.filter(status=Order.Status.DELIVERED, delivered_at__lte=cutoff)
            .order_by("shop_id", "pk")
            .values_list("pk", "shop_id")
        )
    done = 0
    shops: dict[int, Shop] = {}
    for pk, shop_id in due:
        shop = shops.get(shop_id) or shops.setdefault(shop_id, Shop.objects.get(pk=shop_id))
        with scope(shop=shop):
            try:
                order_transition(
                    order=Order.objects.get(pk=pk),
                    to_status=Order.Status.COMPLETED,
                    actor_kind=ActorKind.SYSTEM,
                    note="Return window passed",
                    at=now,
                )
                done += 1
            except IllegalTransition:
                continue  # changed meanwhile; a re-run is harmless
    return done
