"""Staff admin for escalated returns. Staff read across shops, so it runs with scopes disabled
(shops.admin_console.CrossShopAdmin); the services re-enter the shop's scope themselves."""

from django.contrib import admin, messages

from accounts.admin_site import ReadOnlyFields
from common.errors import DomainError
from orders.returns import services as returns_svc
from orders.returns.models import ReturnRequest, ReturnStatusChange
from shops.admin_console import CrossShopAdmin


class ReturnStatusChangeInline(admin.TabularInline):
    model = ReturnStatusChange
    extra = 0
    can_delete = False
    fields = ["created_at", "from_status", "to_status", "actor_kind", "actor", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ReturnRequest)
class ReturnRequestAdmin(ReadOnlyFields, CrossShopAdmin):
    list_display = ["id", "shop", "order", "kind", "status", "reason", "requested_at"]
    list_filter = ["status", "kind"]
    search_fields = ["order__number", "shop__name"]
    list_select_related = ["shop", "order"]
    inlines = [ReturnStatusChangeInline]
    actions = ["decide_for_buyer", "decide_for_seller"]
    show_full_result_count = False

    @admin.action(
        description="Escalation: decide for the buyer (refund in full)", permissions=["change"]
    )
    def decide_for_buyer(self, request, queryset):
        self._decide(request, queryset, for_buyer=True)

    @admin.action(
        description="Escalation: decide for the seller (uphold the rejection)",
        permissions=["change"],
    )
    def decide_for_seller(self, request, queryset):
        self._decide(request, queryset, for_buyer=False)

    def _decide(self, request, queryset, *, for_buyer: bool):
        done = 0
        for return_request in queryset.select_related("shop", "order", "line"):
            try:
                returns_svc.return_staff_decide(
                    actor=request.user, return_request=return_request, for_buyer=for_buyer
                )
                done += 1
            except DomainError as exc:
                self.message_user(request, f"#{return_request.pk}: {exc.message}", messages.ERROR)
        if done:
            self.message_user(request, f"Decided {done} escalated return(s).", messages.SUCCESS)
