"""Emails about a return: the shop's owners and managers, and the buyer."""

from django.conf import settings
from django.core.mail import send_mail
from django_scopes import scopes_disabled

from orders.returns.models import ReturnRequest
from shops.models import Membership, Role, Shop

Status = ReturnRequest.Status


def _seller_emails(shop: Shop) -> list[str]:
    return list(
        Membership.objects.filter(shop=shop, role__in=[Role.OWNER, Role.MANAGER]).values_list(
            "user__email", flat=True
        )
    )


def warn_sellers(request: ReturnRequest) -> None:
    send_mail(
        f"Answer return request #{request.pk} today or it is approved automatically",
        f"The buyer of order {request.order.number} asked for a return "
        f"({request.get_kind_display().lower()}: {request.reason}). If you do not answer by the "
        f"end of today, the request is approved automatically.",
        settings.DEFAULT_FROM_EMAIL,
        _seller_emails(request.shop),
    )


def notify_sellers_new_request(return_request_id: int, shop_id: int) -> None:
    with scopes_disabled():
        request = ReturnRequest.objects.select_related("shop", "order").get(pk=return_request_id)
    send_mail(
        f"New return request for order {request.order.number}",
        f"A buyer asked for a return ({request.get_kind_display().lower()}: {request.reason}). "
        f"Answer by {request.answer_due_on:%b %-d}, or it is approved automatically.",
        settings.DEFAULT_FROM_EMAIL,
        _seller_emails(request.shop),
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


def notify_buyer(return_request_id: int) -> None:
    with scopes_disabled():
        r = ReturnRequest.objects.select_related("shop", "order").get(pk=return_request_id)
    template = BUYER_NOTICES.get(r.status)
    if not template:
        return
    ship = (
        " Please send the item back and enter the tracking number on your order page."
        if r.status == Status.APPROVED and r.kind == ReturnRequest.Kind.RETURN_AND_REFUND
        else ""
    )
    send_mail(
        f"{r.shop.name}: your return for order {r.order.number}",
        template.format(r=r, ship=ship),
        settings.DEFAULT_FROM_EMAIL,
        [r.order.buyer_email],
    )
