"""Emails about a return: the shop's owners and managers, and the buyer. Written to the outbox
in the transaction that changed the return."""

from django_scopes import scope

from common.mail import email_queue
from orders.returns.models import ReturnRequest
from shops.models import Membership, Role, Shop

Status = ReturnRequest.Status


def _seller_emails(shop: Shop) -> list[str]:
    with scope(shop=shop):
        return list(
            Membership.objects.filter(shop=shop, role__in=[Role.OWNER, Role.MANAGER]).values_list(
                "user__email", flat=True
            )
        )


def warn_sellers(request: ReturnRequest) -> None:
    email_queue(
        to=_seller_emails(request.shop),
        subject=f"Answer return request #{request.pk} today or it is approved automatically",
        body=f"The buyer of order {request.order.number} asked for a return "
        f"({request.get_kind_display().lower()}: {request.reason}). If you do not answer by the "
        f"end of today, the request is approved automatically.",
        shop_id=request.shop_id,
        key=f"return-warning:{request.pk}",
    )


def notify_sellers_new_request(request: ReturnRequest) -> None:
    email_queue(
        to=_seller_emails(request.shop),
        subject=f"New return request for order {request.order.number}",
        body=f"A buyer asked for a return ({request.get_kind_display().lower()}: "
        f"{request.reason}). Answer by {request.answer_due_on:%b %-d}, or it is approved "
        "automatically.",
        shop_id=request.shop_id,
    )


BUYER_NOTICES = {
    Status.APPROVED: "The shop approved your return request.{ship}",
    Status.REJECTED: "The shop declined your return request: {r.rejection_reason}",
    Status.RECEIVED: "The shop received your returned item.",
    Status.REFUNDED: "You have been refunded ${r.refund_amount}.",
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
        body=template.format(r=r, ship=ship),
        shop_id=r.shop_id,
    )
