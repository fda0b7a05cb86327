"""Memberships in the staff console: read-only (owners invite members in Seller Center)."""

from django.contrib import admin

from accounts.admin_site import ViewOnly
from shops.admin_console import StaffConsoleAdmin
from shops.models import (
    Membership,
)


@admin.register(Membership)
class MembershipAdmin(ViewOnly, StaffConsoleAdmin):
    """Owners invite and remove members in Seller Center."""

    list_display = ["user", "shop", "role", "created_at"]
    list_filter = ["role"]
    list_select_related = ["user", "shop"]
    search_fields = ["=user__email", "=shop__slug"]
    search_help_text = "A member's exact email or a shop's exact slug."
    autocomplete_fields = ["user", "shop"]
    ordering = ["-id"]
