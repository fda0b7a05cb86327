"""Verification history in the staff console: read-only; reviewers decide in /review/."""

from django.contrib import admin

from accounts.admin_site import ViewOnly
from shops.admin_console import StaffConsoleAdmin
from shops.models import (
    VerificationDecision,
    VerificationSubmission,
)


class VerificationDecisionInline(admin.TabularInline):
    model = VerificationDecision
    extra = 0
    can_delete = False
    fields = ["created_at", "action", "actor", "reason", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class ReadOnlyConsoleAdmin(ViewOnly, StaffConsoleAdmin):
    pass


@admin.register(VerificationSubmission)
class VerificationSubmissionAdmin(ReadOnlyConsoleAdmin):
    list_display = ["id", "shop", "status", "submitted_at", "claimed_by", "decided_at", "reason"]
    list_filter = ["status", "reason"]
    list_select_related = ["shop", "claimed_by"]
    search_fields = ["=shop__slug"]
    ordering = ["-submitted_at", "-id"]
    exclude = ["documents"]
    readonly_fields = [
        "shop",
        "status",
        "submitted_by",
        "submitted_at",
        "claimed_by",
        "claimed_at",
        "decided_at",
        "reason",
        "note",
        "snapshot",
    ]
    inlines = [VerificationDecisionInline]


@admin.register(VerificationDecision)
class VerificationDecisionAdmin(ReadOnlyConsoleAdmin):
    list_display = ["created_at", "shop", "submission_id", "action", "actor", "reason"]
    list_filter = ["action", "reason"]
    list_select_related = ["shop", "actor"]
    search_fields = ["=shop__slug"]
    ordering = ["-created_at", "-id"]
