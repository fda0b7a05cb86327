"""Seller support pages: Help (answers from the product's own rules + a contact form that
opens a support ticket), the ticket thread, and Settings → Security log (owner only).

A ticket is its author's and the owner's: a manager or staff member sees the tickets they opened
and no one else's (a ticket may be about payouts, the bank account or a locked sign-in); any
other ticket, and its attachments, is a 404 as for a stranger."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render

from accounts.models import AuditEvent
from common.csvio import csv_streaming_response
from common.errors import add_error_to_form
from common.files import private_download
from common.policy import POLICY
from shops import permissions as p
from shops.models import Role, SupportTicket, TicketMessage, VerificationSubmission
from shops.onboarding.documents import EXTENSIONS
from shops.services.support import ticket_open, ticket_seller_reply
from shops.tenancy import shop_view


class TicketForm(forms.Form):
    category = forms.ChoiceField(choices=SupportTicket.Category.choices)
    subject = forms.CharField(max_length=120, required=False)
    body = forms.CharField(label="Message", widget=forms.Textarea(attrs={"rows": 5}))
    attachment = forms.FileField(
        required=False, help_text="Optional: a screenshot or document (PDF, JPEG or PNG)."
    )


class ReplyForm(forms.Form):
    body = forms.CharField(label="Your reply", widget=forms.Textarea(attrs={"rows": 4}))
    attachment = forms.FileField(required=False)


@shop_view(p.VIEW)
def help_page(request, shop_slug):
    form = TicketForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            ticket = ticket_open(shop=request.shop, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_error_to_form(form, exc)
        else:
            messages.success(request, f"Ticket #{ticket.pk} opened. Support answers by email.")
            return redirect(
                "shops:ticket_detail", shop_slug=request.shop.slug, support_ticket_id=ticket.pk
            )
    tickets = list(support_tickets_visible(request)[:20])
    return render(
        request,
        "shops/help_page.html",
        {"form": form, "tickets": tickets, "rules": _rules()},
        status=400 if form.errors else 200,
    )


@shop_view(p.VIEW)
def ticket_detail(request, shop_slug, support_ticket_id):
    ticket = access_support_ticket(request, support_ticket_id)
    form = ReplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            ticket_seller_reply(
                shop=request.shop, actor=request.user, ticket=ticket, **form.cleaned_data
            )
        except ValidationError as exc:
            add_error_to_form(form, exc)
        else:
            messages.success(request, "Reply sent to support.")
            return redirect(
                "shops:ticket_detail", shop_slug=request.shop.slug, support_ticket_id=ticket.pk
            )
    thread = list(ticket.messages.select_related("author"))
    return render(
        request,
        "shops/ticket_detail.html",
        {"ticket": ticket, "thread": thread, "form": form},
        status=400 if form.errors else 200,
    )


@shop_view(p.VIEW)
def ticket_attachment(request, shop_slug, ticket_message_id):
    message = TicketMessage.objects.filter(
        shop=request.shop, pk=ticket_message_id, ticket__in=support_tickets_visible(request)
    ).first()
    if message is None or not message.attachment:
        raise Http404("No such attachment.")
    return private_download(
        message.attachment,
        filename=f"ticket-{message.ticket_id}-{message.pk}"
        f"{EXTENSIONS.get(message.attachment_type, '')}",
        content_type=message.attachment_type,
    )


@shop_view(p.OWNER)
def security_log(request, shop_slug):
    events = (
        AuditEvent.objects.filter(shop_id=request.shop.pk)
        .select_related("actor")
        .order_by("-occurred_at", "-id")
    )
    if request.GET.get("format") == "csv":
        return _security_log_csv(request.shop, events)
    page = Paginator(events, POLICY.security_log_page_size).get_page(request.GET.get("page"))
    for event in page:
        event.who, event.shown_ip = _who(event)
        event.label = action_label(event.action)
    return render(request, "shops/security_log.html", {"page": page})


ACTION_LABELS = {
    "shop.status_changed": "Shop status changed",
    "shop.investigation_ended": "Investigation period ended",
    "shop.deposit_paid": "Store deposit paid",
    "shop.deposit_refunded": "Store deposit refunded",
    "shop.violation_points_adjusted": "Violation points adjusted",
    "shop.sps_set": "Shop Performance Score set",
    "product.suspend": "Product suspended",
    "product.lift_suspension": "Product suspension lifted",
    "bank_account.added": "Bank account added",
    "bank_account.changed": "Bank account changed",
    "lifecycle.tiktok_unlink": "TikTok account unlinked",
    "lifecycle.tiktok_relink": "TikTok account re-linked",
    "lifecycle.export_requested": "Data export requested",
    "lifecycle.delete_requested": "Shop deletion requested",
    "lifecycle.relist": "Store re-listed",
    "lifecycle.inactivity.first_reminder": "Inactivity reminder sent",
    "lifecycle.inactivity.delisted": "Products delisted for inactivity; investigation period began",
    "lifecycle.inactivity.second_reminder": "Final inactivity reminder sent",
    "lifecycle.inactivity.banned": "Shop banned for inactivity",
    "lifecycle.inactivity.ban_waived": "Ban for inactivity waived by the store deposit",
    "finance.withdrawal_requested": "Withdrawal requested",
    "finance.withdrawal_paid": "Withdrawal paid",
    "finance.withdrawal_failed": "Withdrawal failed",
    "probation.started": "Probation started",
    "probation.ended": "Probation ended",
    "probation.extended": "Probation extended",
}


def action_label(action: str) -> str:
    if action in ACTION_LABELS:
        return ACTION_LABELS[action]
    return action.split(".", 1)[-1].replace("_", " ").capitalize()


def _who(event) -> tuple[str, str]:
    """Platform staff appear as "Seller Center staff" and without their address: sellers see
    that staff acted and why, not who on the staff it was."""
    if event.actor is not None and event.actor.is_staff:
        return "Seller Center staff", ""
    return event.actor_label, event.ip or ""


def support_tickets_visible(request):
    """The shop's tickets this member may open: all of them for an owner, else their own."""
    tickets = SupportTicket.objects.filter(shop=request.shop)
    if request.membership.role == Role.OWNER:
        return tickets
    return tickets.filter(opened_by=request.user)


def access_support_ticket(request, support_ticket_id: int) -> SupportTicket:
    """A ticket the member may open, or 404 — the same for missing, foreign and not theirs."""
    ticket = support_tickets_visible(request).filter(pk=support_ticket_id).first()
    if ticket is None:
        raise Http404("No such ticket.")
    return ticket


def _security_log_csv(shop, events):
    header = ["time (UTC)", "who", "action", "target", "changes", "ip"]

    def rows():
        for e in events.iterator(chunk_size=2000):
            who, ip = _who(e)
            changes = "; ".join(f"{k}: {v[0]} → {v[1]}" for k, v in (e.changes or {}).items())
            yield [e.occurred_at.isoformat(), who, e.action, e.target_repr, changes, ip]

    response = csv_streaming_response(f"{shop.slug}-security-log.csv", header, rows(), shop=shop)
    response["Cache-Control"] = "no-store, private"
    return response


def _rules() -> dict:
    """The numbers the Help answers quote — the same settings the code enforces."""
    return {
        "review_target_days": POLICY.review_target_days,
        "document_max_mb": POLICY.document_max_bytes // (1024 * 1024),
        "document_min_px": POLICY.document_min_image_side_px,
        "rejection_reasons": [label for _, label in VerificationSubmission.Reason.choices],
        "second_factor_lock": POLICY.second_factor_lock_after_failures,
        "reauth_minutes": POLICY.reauth_minutes,
        "first_reminder_days": POLICY.inactivity_first_reminder_days,
        "delist_after_days": POLICY.inactivity_delist_days,
        "second_reminder_days": POLICY.inactivity_second_reminder_days,
        "ban_after_days": POLICY.inactivity_ban_days,
        "investigation_cap": POLICY.investigation_daily_order_cap,
        "flag_hours": POLICY.support_unanswered_flag_hours,
        "min_age": POLICY.min_seller_age_years,
    }
