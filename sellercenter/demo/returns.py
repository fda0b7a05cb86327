"""The demo's returns, each told as it would have happened: the buyer asks, the seller answers
within the answer window or the daily job approves it when the window closes, the buyer ships
the item back, the seller receives it and refunds — every step a history row at its own time,
as far as the clock has got. So no request sits "Requested" past its answer day, and every
refunded return has its amount, its history and its ledger entry."""

from datetime import timedelta

from common.policy import POLICY
from orders.finance.models import LedgerEntry
from orders.finance.services import ledger_book_refund
from orders.returns.models import ReturnRequest, ReturnStatusChange

Status = ReturnRequest.Status
Actor = ReturnStatusChange.ActorKind
REASONS = ["Wrong size", "Damaged in transit", "Not as described"]


def seed_returns(*, shop, sold, rng, now, owner) -> int:
    """``sold``: (order, first line) pairs of delivered or completed orders to draw from."""
    returns, stories = [], []
    for order, line in sold:
        requested_at = order.placed_at + timedelta(days=6, hours=rng.randint(0, 20))
        if requested_at >= now:
            continue
        request = ReturnRequest(
            shop=shop,
            order=order,
            line=line,
            kind=rng.choice(list(ReturnRequest.Kind)),
            reason=rng.choice(REASONS),
            requested_at=requested_at,
            return_shipping_paid_by="seller",
        )
        steps = _story(request, rng, now)
        request.status = steps[-1][0]
        if request.status == Status.REJECTED:
            request.rejection_reason = "The photos show wear the return policy does not cover."
        if any(status == Status.BUYER_SHIPPED for status, *_ in steps):
            request.return_carrier = "USPS"
            request.return_tracking = f"9400{rng.randint(10**17, 10**18 - 1)}"
        if request.status == Status.REFUNDED:
            request.refund_amount = line.line_total
            request.restocked = request.kind == ReturnRequest.Kind.RETURN_AND_REFUND
        returns.append(request)
        stories.append(steps)
    ReturnRequest.objects.bulk_create(returns)
    history = []
    for request, steps in zip(returns, stories, strict=True):
        previous = ""
        for status, actor_kind, at, note in steps:
            history.append(
                request.history_row(
                    from_status=previous,
                    to_status=status,
                    actor_kind=actor_kind,
                    actor=owner if actor_kind == Actor.SELLER else None,
                    created_at=at,
                    note=note,
                )
            )
            previous = status
    ReturnStatusChange.objects.bulk_create(history)
    for request, steps in zip(returns, stories, strict=True):
        if request.status == Status.REFUNDED:  # the refund's ledger entry, at its own time
            entry = ledger_book_refund(
                shop=shop, return_request=request, amount=request.refund_amount, actor=owner
            )
            LedgerEntry.objects.filter(pk=entry.pk).update(created_at=steps[-1][2])
    return len(returns)


def _story(request: ReturnRequest, rng, now) -> list[tuple[str, str, object, str]]:
    """(status, who, when, note) from the request to where it stands ``now``."""
    steps = [(Status.REQUESTED, Actor.BUYER, request.requested_at, request.reason)]
    if request.answer_by > now and rng.random() < 0.8:
        return steps  # still inside the answer window: waiting for the seller
    answered_at = request.requested_at + timedelta(hours=rng.randint(2, 30))
    if answered_at < min(request.answer_by, now) and rng.random() < 0.75:
        if rng.random() < 0.15:
            return [*steps, (Status.REJECTED, Actor.SELLER, answered_at, "")]
        steps.append((Status.APPROVED, Actor.SELLER, answered_at, ""))
    elif request.answer_by <= now:
        days = POLICY.return_response_days
        note = f"Approved automatically: no answer within {days} days"
        steps.append((Status.APPROVED, Actor.SYSTEM, request.answer_by, note))
    else:
        return steps
    at = steps[-1][2]
    if request.kind == ReturnRequest.Kind.RETURN_AND_REFUND:
        for status, actor_kind, after in (
            (Status.BUYER_SHIPPED, Actor.BUYER, timedelta(days=2)),
            (Status.RECEIVED, Actor.SELLER, timedelta(days=3)),
        ):
            at += after
            if at > now:
                return steps
            steps.append((status, actor_kind, at, ""))
    at += timedelta(hours=rng.randint(4, 30))
    if at <= now:
        steps.append((Status.REFUNDED, Actor.SELLER, at, ""))
    return steps
