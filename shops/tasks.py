from celery import shared_task
from django.core.mail import send_mail
from django.utils import timezone

from shops.models import Membership, Role, SellerProfile, Shop
from shops.tasking import ShopTask


@shared_task(
    base=ShopTask,
    acks_late=True,
    ignore_result=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
)
def send_shop_email_task(*, shop: Shop, subject: str, body: str) -> None:
    """Email every owner of the shop, and the contact address given at onboarding."""
    recipients = set(
        Membership.objects.filter(shop=shop, role=Role.OWNER).values_list("user__email", flat=True)
    )
    contact = SellerProfile.objects.values_list("contact_email", flat=True).first()
    if contact:
        recipients.add(contact)
    if recipients:
        send_mail(subject, body, None, sorted(recipients))


@shared_task(acks_late=True, ignore_result=True)
def document_expiry_sweep_task(date: str | None = None) -> None:
    """Daily (SPEC §2): expiry notices POLICY.document_expiry_notice_days ahead; expired documents handled."""
    from datetime import date as date_cls

    from shops.services.expiry import document_expiry_sweep

    today = date_cls.fromisoformat(date) if date else timezone.localdate()
    document_expiry_sweep(today=today)


@shared_task(
    base=ShopTask,
    acks_late=True,
    ignore_result=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
)
def send_ticket_reply_email_task(*, shop: Shop, message_id: int) -> None:
    """Issue 9: tell the seller who opened a support ticket that support answered."""
    from django.conf import settings
    from django.urls import reverse

    from shops.models import TicketMessage

    message = (
        TicketMessage.objects.select_related("ticket__opened_by")
        .filter(pk=message_id, from_staff=True)
        .first()
    )
    if message is None:
        return
    ticket = message.ticket
    recipients = [ticket.opened_by.email] if ticket.opened_by_id else []
    if not recipients:
        recipients = list(
            Membership.objects.filter(shop=shop, role=Role.OWNER).values_list(
                "user__email", flat=True
            )
        )
    path = reverse(
        "shops:ticket_detail",
        kwargs={"shop_slug": shop.slug, "support_ticket_id": ticket.pk},
    )
    if recipients:
        send_mail(
            f"Support answered: {ticket.subject} (ticket #{ticket.pk})",
            f"{message.body}\n\nSee the whole conversation and reply: "
            f"{settings.PUBLIC_SITE_URL}{path}",
            None,
            recipients,
        )
