"""The seller's answer deadline on a return request (SPEC §7), run daily by the beat: warn the
shop on the last day, approve the request the day after."""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from common.errors import DomainError
from common.policy import POLICY
from orders.returns.models import (
    ReturnRequest,
    ReturnStatusChange,
)
from orders.returns.notices import warn_sellers
from orders.returns.services import return_transition

Status = ReturnRequest.Status
Actor = ReturnStatusChange.ActorKind


def returns_auto_approve(*, on_date: date) -> dict[str, int]:
    """Run for ``on_date`` (platform zone): approve requests whose answer day has passed, and
    warn sellers whose answer day is today. Idempotent: re-runs warn and approve nothing twice.

    The answer day is ``ReturnRequest.answer_due_on``.
    """
    days = POLICY.return_response_days
    overdue_before = ReturnRequest.answer_ended_if_requested_before(on_date)
    due_today_before = ReturnRequest.answer_ended_if_requested_before(on_date + timedelta(days=1))
    approved = warned = 0
    with scopes_disabled():
        overdue = list(
            ReturnRequest.objects.filter(status=Status.REQUESTED, requested_at__lt=overdue_before)
            .select_related("shop")
            .order_by("requested_at")
        )
        to_warn = list(
            ReturnRequest.objects.filter(
                status=Status.REQUESTED,
                warned_at__isnull=True,
                requested_at__gte=overdue_before,
                requested_at__lt=due_today_before,
            ).select_related("shop", "order")
        )
    for request in overdue:
        with scope(shop=request.shop):
            try:
                return_transition(
                    shop=request.shop,
                    return_request=request,
                    to_status=Status.APPROVED,
                    actor_kind=Actor.SYSTEM,
                    note=f"Approved automatically: no answer within {days} days",
                )
                approved += 1
            except DomainError:
                pass  # the seller answered meanwhile
    for request in to_warn:
        with scope(shop=request.shop):
            # Claim the warning with its email, so two overlapping runs never send it twice.
            with transaction.atomic():
                claimed = ReturnRequest.objects.filter(
                    pk=request.pk, status=Status.REQUESTED, warned_at__isnull=True
                ).update(warned_at=timezone.now())
                if claimed:
                    warn_sellers(request)
                    warned += 1
    return {"approved": approved, "warned": warned}
