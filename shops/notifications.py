"""Emails to a shop's people, written to the outbox (common.mail) in the caller's transaction."""

from django.conf import settings
from django.urls import reverse
from django_scopes import scope

from common.mail import email_queue
from shops.models import Membership, Role, SellerProfile, Shop, TicketMessage


def email_shop_owners(*, shop: Shop, subject: str, body: str, key: str | None = None) -> None:
    """Email every owner of the shop, and the contact address given at onboarding."""
    with scope(shop=shop):
        recipients = list(
            Membership.objects.filter(shop=shop, role=Role.OWNER).values_list(
                "user__email", flat=True
            )
        )
        contact = (
            SellerProfile.objects.filter(shop=shop).values_list("contact_email", flat=True).first()
        )
    email_queue(to=[*recipients, contact], subject=subject, body=body, shop_id=shop.pk, key=key)


def email_ticket_reply(message: TicketMessage) -> None:
    """Tell the seller who opened a support ticket (or else the owners) that support answered."""
    ticket = message.ticket
    with scope(shop=ticket.shop):
        recipients = [ticket.opened_by.email] if ticket.opened_by_id else []
        if not recipients:
            recipients = list(
                Membership.objects.filter(shop=ticket.shop, role=Role.OWNER).values_list(
                    "user__email", flat=True
                )
            )
    path = reverse(
        "shops:ticket_detail",
        kwargs={"shop_slug": ticket.shop.slug, "support_ticket_id": ticket.pk},
    )
    email_queue(
        to=recipients,
        subject=f"Support answered: {ticket.subject} (ticket #{ticket.pk})",
        body=f"{message.body}\n\nSee the whole conversation and reply: "
        f"{settings.PUBLIC_SITE_URL}{path}",
        shop_id=ticket.shop_id,
        key=f"ticket-reply:{message.pk}",
    )
