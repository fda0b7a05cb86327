"""Emails about a return: the shop's owners and managers, and the buyer. Written to the outbox
in the transaction that changed the return."""

from django_scopes import scope

from common.mail import email_queue
from common.money import format_money
from orders.returns.models import ReturnRequest
from shops.models import Membership, Role

Status = ReturnRequest.Status


SELLER_NOTICES = {
    "new": (
        "New return request for order {r.order.number}",
        "A buyer asked for a return ({kind}: {r.reason}). Answer by {due:%b %-d}, or it is "
        "approved automatically.",
    ),
    "last_day": (
        "Answer return request #{r.pk} today or it is approved automatically",
        "The buyer of order {r.order.number} asked for a return ({kind}: {r.reason}). If you do "
        "not answer by the end of today, the request is approved automatically.",
    ),
}


def notify_sellers_new_request(request: ReturnRequest) -> None:
    _email_sellers(request, "new")


def warn_sellers(request: ReturnRequest) -> None:
    _email_sellers(request, "last_day", key=f"return-warning:{request.pk}")


def _email_sellers(r: ReturnRequest, notice: str, *, key: str | None = None) -> None:
    """The shop's owners and managers answer returns."""
    with scope(shop=r.shop):
        recipients = list(
            Membership.objects.filter(shop=r.shop, role__in=[Role.OWNER, Role.MANAGER]).values_list(
                "user__email", flat=True
            )
        )
    words = {"r": r, "kind": r.get_kind_display().lower(), "due": r.answer_due_on}
    subject, body = (template.format(**words) for template in SELLER_NOTICES[notice])
    email_queue(to=recipients, subject=subject, body=body, shop_id=r.shop_id, key=key)


BUYER_NOTICES = {
    Status.APPROVED: "The shop approved your return request.{ship}",
    Status.REJECTED: "The shop declined your return request: {r.rejection_reason}",
    Status.RECEIVED: "The shop received your returned item.",
    Status.REFUNDED: "You have been refunded {refund}.",
    Status.RECEIPT_REJECTED: (
        "The shop says the returned item failed inspection: {r.receipt_rejection_reason}. "
        "You can ask platform staff to decide from your order page."
    ),
    Status.CLOSED: "Platform staff upheld the shop's inspection; the return is closed.",
}


def notify_buyer(r: ReturnRequest) -> None:
    template = BUYER_NOTICES.get(r.status)
    if not template:
        return
    ship = (
        " Please send the item back and enter the tracking number on your order page."
        if r.status == Status.APPROVED and r.kind == ReturnRequest.Kind.RETURN_AND_REFUND
        else ""
    )
    email_queue(
        to=r.order.buyer_email,
        subject=f"{r.shop.name}: your return for order {r.order.number}",
        body=template.format(r=r, ship=ship, refund=format_money(r.refund_amount)),
        shop_id=r.shop_id,
    )
