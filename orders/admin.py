"""Staff views of orders and packages. Admin reads across shops: every view runs in
``scopes_disabled()`` (grep-able), and status changes still go through the order services."""

from django.contrib import admin, messages

from accounts import audit
from accounts.admin_site import NoAddOrDelete
from common.errors import DomainError
from orders.models import Order, Package
from orders.services.fulfillment.delivery import package_event
from orders.services.transitions import ActorKind
from shops.admin_console import CrossShopAdmin


class OrderStaffAdmin(NoAddOrDelete, CrossShopAdmin):
    """Orders and packages are created by buyers and changed by their services, never here."""


@admin.register(Order)
class OrderAdmin(OrderStaffAdmin):
    list_display = ["number", "shop", "status", "fulfillment", "buyer_name", "total", "placed_at"]
    list_filter = ["status", "fulfillment"]
    search_fields = ["=number"]
    list_select_related = ["shop"]
    show_full_result_count = False
    readonly_fields = [
        f.name for f in Order._meta.fields if f.name not in ("fulfillment",)
    ]  # status changes only through the services

    def save_model(self, request, obj, form, change):
        before = Order.objects.filter(pk=obj.pk).values_list("fulfillment", flat=True).first()
        super().save_model(request, obj, form, change)
        if before != obj.fulfillment:
            audit.record(
                actor=request.user,
                action="order.fulfillment_changed",
                shop=obj.shop_id,
                target=obj,
                changes={"fulfillment": (before, obj.fulfillment)},
                ip=audit.client_ip(request),
            )


@admin.register(Package)
class PackageAdmin(OrderStaffAdmin):
    list_display = ["tracking_number", "carrier", "service", "status", "order", "shipped_at"]
    list_filter = ["status", "carrier"]
    search_fields = ["=tracking_number"]
    list_select_related = ["order"]
    readonly_fields = [f.name for f in Package._meta.fields]
    actions = ["mark_in_transit", "mark_delivered"]

    @admin.action(description="Mark in transit (as the carrier would)", permissions=["change"])
    def mark_in_transit(self, request, queryset):
        self._carrier_event(request, queryset, Package.Status.IN_TRANSIT)

    @admin.action(description="Mark delivered (as the carrier would)", permissions=["change"])
    def mark_delivered(self, request, queryset):
        self._carrier_event(request, queryset, Package.Status.DELIVERED)

    def _carrier_event(self, request, queryset, event):
        done = 0
        for package in queryset:
            try:
                package_event(
                    package_id=package.pk,
                    event=event,
                    actor=request.user,
                    actor_kind=ActorKind.STAFF,
                )
                done += 1
            except DomainError as exc:
                self.message_user(request, f"{package}: {exc.message}", messages.ERROR)
        self.message_user(request, f"{done} package(s) updated.", messages.SUCCESS)
