"""Support tickets in the staff console: staff reply inline (the seller is emailed) and tickets
unanswered too long are flagged."""

from datetime import timedelta

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django_scopes import scopes_disabled

from accounts.admin_site import NoAddOrDelete
from common.files import private_download
from common.policy import POLICY
from shops.admin_console import StaffConsoleAdmin
from shops.models import (
    SupportTicket,
    TicketMessage,
)
from shops.onboarding.documents import EXTENSIONS
from shops.services.support import ticket_staff_reply


class UnansweredFilter(admin.SimpleListFilter):
    title = "waiting for support"
    parameter_name = "waiting"

    def lookups(self, request, model_admin):
        hours = POLICY.support_unanswered_flag_hours
        return [("overdue", f"Over {hours} hours without an answer"), ("any", "Any waiting")]

    def queryset(self, request, queryset):
        if self.value() == "overdue":
            return queryset.filter(awaiting_staff_since__lte=_overdue_cutoff())
        if self.value() == "any":
            return queryset.filter(awaiting_staff_since__isnull=False)
        return queryset


class TicketMessageInline(admin.StackedInline):
    """The thread, read-only; staff answer with the reply box of the ticket form."""

    model = TicketMessage
    extra = 0
    can_delete = False
    fields = ["created_at", "from_staff", "author", "body", "attachment_link"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="Attachment")
    def attachment_link(self, obj):
        if not obj.attachment:
            return "—"
        url = reverse("admin:shops_supportticket_attachment", args=[obj.ticket_id, obj.pk])
        return format_html('<a href="{}">Download ({})</a>', url, obj.attachment_type)


class TicketReplyForm(forms.ModelForm):
    reply = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "cols": 80}),
        help_text="Sent to the seller by email and shown in Seller Center → Help.",
    )
    close = forms.BooleanField(required=False, label="Close the ticket with this reply")

    class Meta:
        model = SupportTicket
        fields: list[str] = []


@admin.register(SupportTicket)
class SupportTicketAdmin(NoAddOrDelete, StaffConsoleAdmin):
    form = TicketReplyForm
    list_display = ["ticket", "shop", "category", "status", "waiting", "updated_at"]
    list_filter = [UnansweredFilter, "status", "category"]
    list_select_related = ["shop"]
    search_fields = ["=shop__slug", "subject"]
    ordering = ["awaiting_staff_since", "-updated_at"]
    readonly_fields = ["shop", "opened_by", "category", "subject", "status", "created_at"]
    fieldsets = [
        (None, {"fields": readonly_fields}),
        ("Answer", {"fields": ["reply", "close"]}),
    ]
    inlines = [TicketMessageInline]

    def get_urls(self):
        return [
            path(
                "<int:ticket_id>/attachments/<int:message_id>/",
                self.admin_site.admin_view(self.attachment_view),
                name="shops_supportticket_attachment",
            ),
            *super().get_urls(),
        ]

    def attachment_view(self, request, ticket_id: int, message_id: int):
        """A seller's attachment, for staff who may see the ticket: always a download."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        with scopes_disabled():
            message = TicketMessage.objects.filter(ticket_id=ticket_id, pk=message_id).first()
        if message is None or not message.attachment:
            raise Http404("No such attachment.")
        return private_download(
            message.attachment,
            filename=f"ticket-{ticket_id}-{message_id}{EXTENSIONS.get(message.attachment_type, '')}",
            content_type=message.attachment_type,
        )

    @admin.display(description="Ticket", ordering="id")
    def ticket(self, obj):
        return str(obj)

    @admin.display(description="Waiting for support")
    def waiting(self, obj):
        if obj.awaiting_staff_since is None:
            return "—"
        if obj.awaiting_staff_since <= _overdue_cutoff():
            hours = POLICY.support_unanswered_flag_hours
            return format_html(
                '<strong class="ticket-overdue" title="No answer for over {} hours">'
                "⚠ since {}</strong>",
                hours,
                date_format(timezone.localtime(obj.awaiting_staff_since), "DATETIME_FORMAT"),
            )
        return "since " + date_format(
            timezone.localtime(obj.awaiting_staff_since), "DATETIME_FORMAT"
        )

    def save_model(self, request, obj, form, change):
        reply = form.cleaned_data.get("reply", "").strip()
        if reply or form.cleaned_data.get("close"):
            ticket_staff_reply(
                ticket=obj, actor=request.user, body=reply, close=form.cleaned_data.get("close")
            )


def _overdue_cutoff():
    hours = POLICY.support_unanswered_flag_hours
    return timezone.now() - timedelta(hours=hours)
