from django.contrib import admin, messages
from django.db.models import Exists, OuterRef
from django_scopes import scopes_disabled

from accounts.admin_site import ViewOnly
from accounts.audit import client_ip
from lifecycle.models import InactivityEpisode, InactivityNotice, InactivityStage, SweepRun
from lifecycle.services.leaving import LifecycleError, shop_lift_ban
from shops.admin.shop import shop_console_extend
from shops.admin_console import apply_each


class ReadOnlyAdmin(ViewOnly, admin.ModelAdmin):
    """Records of what the system did: staff read them, nobody edits them."""


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
        # Trust & safety staff, who may ban, may lift a ban (as may those who change shops).
        return request.user.has_perm("shops.ban_shop") or request.user.has_perm("shops.change_shop")


@admin.register(InactivityNotice)
class InactivityNoticeAdmin(CrossShopAdmin):
    list_display = ["shop", "stage", "on_date", "emailed_at", "email_attempts"]
    list_filter = ["stage", "on_date"]
    search_fields = ["shop__name", "shop__slug"]


# --- The shop console's inactivity pieces ------------------------------------------------
# shops.admin.shop cannot import lifecycle (layering); lifecycle adds its filter and action there.
class InactivityStageFilter(admin.SimpleListFilter):
    """Shops by the stage of their open inactivity episode (an EXISTS on the partial index)."""

    title = "inactivity stage"
    parameter_name = "inactivity"

    def lookups(self, request, model_admin):
        return [("none", "No open episode"), *InactivityStage.choices]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        with scopes_disabled():
            open_episodes = InactivityEpisode.objects.filter(
                shop=OuterRef("pk"), closed_at__isnull=True
            )
            if value == "none":
                return queryset.filter(~Exists(open_episodes))
            if value in InactivityStage.values:
                return queryset.filter(Exists(open_episodes.filter(stage=value)))
        return queryset


@admin.action(description="Lift a ban (the seller can then re-list)", permissions=["ban"])
def lift_shop_bans(modeladmin, request, queryset):
    apply_each(
        modeladmin, request, queryset, done="Lifted {n} ban(s).",
        apply=lambda shop: shop_lift_ban(shop=shop, actor=request.user, ip=client_ip(request)),
    )  # fmt: skip


shop_console_extend(list_filters=[InactivityStageFilter], actions=[lift_shop_bans])
