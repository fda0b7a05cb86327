"""Staff admin for returns escalations, the commission table, withdrawals and the ledger.

Imported by OrdersConfig.ready(). Staff read across shops, so every admin view here runs with
scopes disabled (explicit and grep-able); the services re-enter the shop's scope themselves.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django_scopes import scopes_disabled

from accounts import audit
from orders.models import CommissionRate, LedgerEntry, ReturnRequest, Withdrawal
from orders.models.returns import ReturnStatusChange
from orders.services import finance as finance_svc
from orders.services import returns as returns_svc


class CrossShopAdmin(admin.ModelAdmin):
    """Runs each admin page with scopes disabled and renders it inside that block."""

    def changelist_view(self, request, extra_context=None):
        with scopes_disabled():
            return _rendered(super().changelist_view(request, extra_context))

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        with scopes_disabled():
            return _rendered(super().changeform_view(request, object_id, form_url, extra_context))

    def delete_view(self, request, object_id, extra_context=None):
        with scopes_disabled():
            return _rendered(super().delete_view(request, object_id, extra_context))

    def history_view(self, request, object_id, extra_context=None):
        with scopes_disabled():
            return _rendered(super().history_view(request, object_id, extra_context))


def _rendered(response):
    if hasattr(response, "render") and not response.is_rendered:
        response.render()
    return response


@admin.register(CommissionRate)
class CommissionRateAdmin(admin.ModelAdmin):
    list_display = ["region_label", "category", "rate", "updated_at"]
    list_editable = ["rate"]
    list_display_links = ["region_label"]
    list_filter = ["region"]
    autocomplete_fields: list[str] = []

    @admin.display(description="Region", ordering="region")
    def region_label(self, obj):
        return obj.region or "Any region"


class ReturnStatusChangeInline(admin.TabularInline):
    model = ReturnStatusChange
    extra = 0
    can_delete = False
    fields = ["created_at", "from_status", "to_status", "actor_kind", "actor", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ReturnRequest)
class ReturnRequestAdmin(CrossShopAdmin):
    list_display = ["id", "shop", "order", "kind", "status", "reason", "requested_at"]
    list_filter = ["status", "kind"]
    search_fields = ["order__number", "shop__name"]
    list_select_related = ["shop", "order"]
    inlines = [ReturnStatusChangeInline]
    actions = ["decide_for_buyer", "decide_for_seller"]
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Escalation: decide for the buyer (refund in full)")
    def decide_for_buyer(self, request, queryset):
        self._decide(request, queryset, for_buyer=True)

    @admin.action(description="Escalation: decide for the seller (uphold the rejection)")
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
            except ValidationError as exc:
                self.message_user(
                    request, f"#{return_request.pk}: {' '.join(exc.messages)}", messages.ERROR
                )
        if done:
            self.message_user(request, f"Decided {done} escalated return(s).", messages.SUCCESS)


@admin.register(Withdrawal)
class WithdrawalAdmin(CrossShopAdmin):
    list_display = [
        "id",
        "shop",
        "amount",
        "status",
        "bank_account_label",
        "requested_at",
        "decided_at",
    ]
    list_filter = ["status"]
    list_select_related = ["shop"]
    actions = ["mark_paid", "mark_failed"]
    show_full_result_count = False  # issue 9: one COUNT per page
    search_fields = ["=shop__slug"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Mark paid (the payout provider confirmed it)")
    def mark_paid(self, request, queryset):
        self._move(request, queryset, finance_svc.withdrawal_mark_paid)

    @admin.action(description="Mark failed (the money returns to the available balance)")
    def mark_failed(self, request, queryset):
        self._move(request, queryset, finance_svc.withdrawal_mark_failed)

    def _move(self, request, queryset, service):
        done = 0
        for withdrawal in queryset.select_related("shop"):
            try:
                service(actor=request.user, withdrawal=withdrawal)
                done += 1
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.ERROR)
        if done:
            self.message_user(request, f"Updated {done} withdrawal(s).", messages.SUCCESS)


@admin.register(LedgerEntry)
class LedgerEntryAdmin(CrossShopAdmin):
    """Read-only, except that finance staff may add adjustments (new rows, never edits)."""

    list_display = ["created_at", "shop", "kind", "bucket", "amount", "order", "memo"]
    list_filter = ["kind", "bucket"]
    list_select_related = ["shop", "order"]
    fields = ["shop", "bucket", "amount", "memo"]
    show_full_result_count = False
    autocomplete_fields = ["shop"]  # issue 9: never a <select> of every shop

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields] if obj else []

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        obj.kind = LedgerEntry.Kind.ADJUSTMENT
        obj.actor = request.user
        super().save_model(request, obj, form, change)
        audit.record(
            actor=request.user,
            action="finance.adjustment_added",
            shop=obj.shop_id,
            target=obj,
            changes={"amount": (None, obj.amount), "bucket": (None, obj.bucket)},
            ip=audit.client_ip(request),
        )
