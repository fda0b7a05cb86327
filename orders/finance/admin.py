"""Staff admin for the commission table, withdrawals and the ledger. Staff read across shops, so
every page runs with scopes disabled (shops.admin_console.CrossShopAdmin)."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from accounts import audit
from accounts.admin_site import ReadOnlyFields
from orders.finance import services as finance_svc
from orders.finance.models import CommissionRate, LedgerEntry, Withdrawal
from shops.admin_console import CrossShopAdmin


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


@admin.register(Withdrawal)
class WithdrawalAdmin(ReadOnlyFields, CrossShopAdmin):
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
    show_full_result_count = False  # one COUNT per page, whatever the table's size
    search_fields = ["=shop__slug"]

    @admin.action(
        description="Mark paid (the payout provider confirmed it)", permissions=["change"]
    )
    def mark_paid(self, request, queryset):
        self._move(request, queryset, finance_svc.withdrawal_mark_paid)

    @admin.action(
        description="Mark failed (the money returns to the available balance)",
        permissions=["change"],
    )
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
    autocomplete_fields = ["shop"]  # never a <select> of every shop

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
