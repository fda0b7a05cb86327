"""Help and support: sellers open tickets from the Help page, staff answer in the
admin. ``awaiting_staff_since`` marks a ticket whose latest seller message has no answer yet."""

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from common.policy import POLICY
from shops.models import Shop, SupportTicket, TicketMessage
from shops.notifications import email_ticket_reply
from shops.onboarding.documents import inspect_upload


def ticket_open(
    *, shop: Shop, actor, category: str, subject: str, body: str, attachment=None
) -> SupportTicket:
    body, subject = (body or "").strip(), (subject or "").strip()
    if not body:
        raise ValidationError({"body": "Describe the problem."})
    if category not in SupportTicket.Category.values:
        raise ValidationError({"category": "Choose what the problem is about."})
    checked = _attachment_check(attachment)
    now = timezone.now()
    with transaction.atomic():
        ticket = SupportTicket.objects.create(
            shop=shop,
            opened_by=actor,
            category=category,
            subject=(subject or SupportTicket.Category(category).label)[:120],
            created_at=now,
            updated_at=now,
            awaiting_staff_since=now,
        )
        _message(ticket=ticket, author=actor, body=body, from_staff=False, checked=checked)
    return ticket


def ticket_seller_reply(*, shop: Shop, actor, ticket: SupportTicket, body: str, attachment=None):
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": "Write a message."})
    checked = _attachment_check(attachment)
    now = timezone.now()
    with transaction.atomic():
        locked = SupportTicket.objects.select_for_update().get(shop=shop, pk=ticket.pk)
        message = _message(
            ticket=locked, author=actor, body=body, from_staff=False, checked=checked
        )
        # Waiting since the first unanswered seller message, not the latest one.
        locked.awaiting_staff_since = locked.awaiting_staff_since or now
        locked.status = SupportTicket.Status.OPEN
        locked.updated_at = now
        locked.save(update_fields=["awaiting_staff_since", "status", "updated_at"])
    return message


def ticket_staff_reply(
    *, ticket: SupportTicket, actor, body: str, close: bool = False
) -> TicketMessage | None:
    """Staff answer (the admin): the seller is emailed; the unanswered flag clears."""
    body = (body or "").strip()
    if not body and not close:
        raise ValidationError("Write an answer.")
    now = timezone.now()
    message = None
    with transaction.atomic():
        locked = SupportTicket.objects.select_for_update().get(pk=ticket.pk)
        if body:
            message = _message(ticket=locked, author=actor, body=body, from_staff=True)
            email_ticket_reply(message)
        locked.awaiting_staff_since = None
        locked.status = SupportTicket.Status.CLOSED if close else SupportTicket.Status.ANSWERED
        locked.updated_at = now
        locked.save(update_fields=["awaiting_staff_since", "status", "updated_at"])
    ticket.status, ticket.awaiting_staff_since = locked.status, None
    return message


def _message(*, ticket, author, body, from_staff, checked=None) -> TicketMessage:
    message = TicketMessage(
        shop_id=ticket.shop_id, ticket=ticket, author=author, from_staff=from_staff, body=body
    )
    if checked is not None:
        message.attachment_type = checked.content_type
        message.attachment.save(
            f"ticket-{ticket.pk}{checked.extension}", ContentFile(checked.content), save=False
        )
    message.save()
    return message


def _attachment_check(upload):
    """PDF, JPEG or PNG recognised by content (the document checks), within the size limit."""
    if not upload:
        return None
    limit = POLICY.support_attachment_max_bytes
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            {"attachment": f"The attachment is larger than {limit // (1024 * 1024)} MB."}
        )
    try:
        return inspect_upload(upload)
    except ValidationError as exc:
        raise ValidationError({"attachment": exc.messages}) from exc
