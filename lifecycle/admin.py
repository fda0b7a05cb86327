from django.contrib import admin
from django_scopes import scopes_disabled

from lifecycle.models import InactivityEpisode, InactivityNotice, SweepRun


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records of what the system did: staff read them, nobody edits them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CrossShopAdmin(ReadOnlyAdmin):
    def get_queryset(self, request):
        with scopes_disabled():  # staff read across shops, explicitly
            return self.model._base_manager.select_related("shop")


@admin.register(SweepRun)
class SweepRunAdmin(ReadOnlyAdmin):
    list_display = [
        "run_date",
        "status",
        "started_at",
        "finished_at",
        "episodes_closed",
        "first_reminders",
        "delisted",
        "second_reminders",
        "banned",
        "bans_waived",
        "products_delisted",
        "emails_queued",
    ]
    list_filter = ["status"]
    date_hierarchy = "run_date"


@admin.register(InactivityEpisode)
class InactivityEpisodeAdmin(CrossShopAdmin):
    list_display = ["shop", "started_at", "opened_on", "stage", "stage_date", "closed_at"]
    list_filter = ["stage", "closed_reason"]
    search_fields = ["shop__name", "shop__slug"]


@admin.register(InactivityNotice)
class InactivityNoticeAdmin(CrossShopAdmin):
    list_display = ["shop", "stage", "on_date", "emailed_at", "email_attempts"]
    list_filter = ["stage", "on_date"]
    search_fields = ["shop__name", "shop__slug"]
