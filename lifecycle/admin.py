from django.contrib import admin, messages
from django_scopes import scopes_disabled

from accounts.audit import client_ip
from lifecycle.models import InactivityEpisode, InactivityNotice, SweepRun
from lifecycle.services.leaving import LifecycleError, shop_lift_ban


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
    actions = ["lift_ban"]

    @admin.action(description="Lift the inactivity ban of these shops", permissions=["lift_ban"])
    def lift_ban(self, request, queryset):
        lifted = 0
        with scopes_disabled():
            for episode in queryset.filter(stage="banned").select_related("shop"):
                try:
                    shop_lift_ban(shop=episode.shop, actor=request.user, ip=client_ip(request))
                except LifecycleError as error:
                    self.message_user(request, f"{episode.shop}: {error}", messages.WARNING)
                else:
                    lifted += 1
        self.message_user(request, f"Lifted {lifted} ban(s); the sellers can now re-list.")

    def has_lift_ban_permission(self, request):
        # Trust & safety staff who may change shops may lift a ban.
        return request.user.has_perm("shops.change_shop")


@admin.register(InactivityNotice)
class InactivityNoticeAdmin(CrossShopAdmin):
    list_display = ["shop", "stage", "on_date", "emailed_at", "email_attempts"]
    list_filter = ["stage", "on_date"]
    search_fields = ["shop__name", "shop__slug"]
