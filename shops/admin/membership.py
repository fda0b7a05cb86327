"""Memberships in the staff console: read-only (owners invite members in Seller Center)."""

from django.contrib import admin

from shops.admin_console import StaffConsoleAdmin
from shops.models import (
    Membership,
)


@admin.register(Membership)
class MembershipAdmin(StaffConsoleAdmin):
    list_display = ["user", "shop", "role", "created_at"]
    list_filter = ["role"]
    list_select_related = ["user", "shop"]
    search_fields = ["=user__email", "=shop__slug"]
    search_help_text = "A member's exact email or a shop's exact slug."
    autocomplete_fields = ["user", "shop"]
    ordering = ["-id"]

    def has_add_permission(self, request):
        return False  # owners invite members in Seller Center

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
