"""The staff console's shop list: filters, inlines and every staff decision about a shop.

Each action calls a service in ``shops.services.staff`` (audited there) and needs its own
permission. Apps above shops add their own filters and actions through ``shop_console_extend``
(lifecycle: the inactivity stage, lifting a ban), so this module never imports upwards.
"""

from decimal import Decimal

from django import forms
from django.contrib import admin
from django.db.models import OuterRef, Subquery, Sum

from accounts.admin_site import ReadOnlyFields
from shops.admin_console import ReasonForm, StaffConsoleAdmin, apply_each, shop_service_action
from shops.models import (
    Membership,
    Shop,
    ShopStatusChange,
    Violation,
)
from shops.services import staff as staff_svc

S = Shop.Status


def shop_console_extend(*, list_filters=(), actions=()) -> None:
    """Add list filters and actions (callables) from an app above shops to the shop list."""
    ShopAdmin.list_filter = [*ShopAdmin.list_filter, *list_filters]
    ShopAdmin.actions = [*ShopAdmin.actions, *actions]


class ShopStatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"
    INVESTIGATION = "investigation"

    def lookups(self, request, model_admin):
        return [
            (S.PENDING_VERIFICATION, "Pending verification"),
            (S.ACTIVE, "Active"),
            (self.INVESTIGATION, "In an investigation period"),
            (S.SUSPENDED, "Suspended by staff"),
            (S.DEACTIVATED, "Deactivated"),
            (S.BANNED, "Banned"),
            (S.DELETED, "Deleted"),
        ]

    def queryset(self, request, queryset):
        if self.value() == self.INVESTIGATION:
            return queryset.filter(in_investigation=True)
        if self.value() in S.values:
            return queryset.filter(status=self.value())
        return queryset


class DepositFilter(admin.SimpleListFilter):
    title = "store deposit"
    parameter_name = "deposit"

    def lookups(self, request, model_admin):
        return [("paid", "Paid"), ("none", "Not paid")]

    def queryset(self, request, queryset):
        if self.value() == "paid":
            return queryset.filter(store_deposit_paid=True)
        if self.value() == "none":
            return queryset.filter(store_deposit_paid=False)
        return queryset


class ViolationInline(admin.TabularInline):
    model = Violation
    extra = 0
    can_delete = False
    fields = ["created_at", "points", "fraud", "reason", "actor"]
    readonly_fields = fields
    ordering = ["-created_at"]

    def has_add_permission(self, request, obj=None):
        return False  # through the "adjust violation points" action, with a reason


class ShopStatusChangeInline(admin.TabularInline):
    model = ShopStatusChange
    extra = 0
    can_delete = False
    fields = ["created_at", "from_status", "to_status", "actor", "reason"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    can_delete = False
    fields = ["user", "role", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class PointsForm(ReasonForm):
    points = forms.IntegerField(
        min_value=-1000,
        max_value=1000,
        help_text="Positive for a violation, negative to correct the total (never below 0).",
    )
    fraud = forms.BooleanField(required=False, label="Fraud-related")
    field_order = ["points", "fraud", "reason"]


class SpsForm(ReasonForm):
    sps = forms.DecimalField(
        label="SPS", min_value=Decimal("0"), max_value=Decimal("5"), decimal_places=2
    )
    field_order = ["sps", "reason"]


class ProbationExtendForm(ReasonForm):
    until = forms.DateField(
        help_text="YYYY-MM-DD; the daily check does not end probation before it."
    )
    field_order = ["until", "reason"]


@admin.register(Shop)
class ShopAdmin(ReadOnlyFields, StaffConsoleAdmin):
    """Sellers open shops and delete them (SPEC §9.3, with its own safeguards); staff act on
    them only through the actions below, each with its reason."""

    list_display = [
        "name",
        "slug",
        "status_label",
        "owner_email",
        "violation_points",
        "sps_label",
        "probation_flag",
        "deposit_flag",
    ]
    list_filter = [ShopStatusFilter, DepositFilter, "on_probation"]
    # Owner email exact (the unique index), slug exact, name contains.
    search_fields = ["name", "=slug", "=memberships__user__email"]
    search_help_text = "Shop name, exact slug, or a member's exact email."
    ordering = ["-id"]  # the primary key index, however many shops there are
    list_per_page = 50
    inlines = [MembershipInline, ShopStatusChangeInline, ViolationInline]
    actions = [
        "suspend_shops",
        "reinstate_shops",
        "ban_shops",
        "end_investigation",
        "mark_deposit_paid",
        "mark_deposit_refunded",
        "adjust_violation_points",
        "set_sps",
        "end_probation",
        "extend_probation",
    ]

    def get_queryset(self, request):
        owners = Membership.objects.filter(shop=OuterRef("pk"), role="owner").order_by("id")
        points = (
            Violation.objects.filter(shop=OuterRef("pk"))
            .order_by()
            .values("shop")
            .annotate(total=Sum("points"))
            .values("total")
        )
        return (
            super()
            .get_queryset(request)
            .annotate(
                _owner_email=Subquery(owners.values("user__email")[:1]),
                _points=Subquery(points),
            )
        )

    @admin.display(description="Status", ordering="status")
    def status_label(self, obj):
        label = obj.get_status_display()
        return f"{label} · investigation" if obj.in_investigation else label

    @admin.display(description="Owner")
    def owner_email(self, obj):
        return getattr(obj, "_owner_email", None) or "—"

    @admin.display(description="Points")
    def violation_points(self, obj):
        return getattr(obj, "_points", None) or 0

    @admin.display(description="SPS", ordering="sps")
    def sps_label(self, obj):
        return obj.sps

    @admin.display(description="Probation", boolean=True)
    def probation_flag(self, obj):  # not "probation": Shop has that reverse one-to-one
        return obj.on_probation

    @admin.display(description="Deposit", boolean=True)
    def deposit_flag(self, obj):
        return obj.store_deposit_paid

    # --- permissions of the actions -----------------------------------------------------------
    def has_suspend_permission(self, request):
        return request.user.has_perm("shops.suspend_shop")

    def has_ban_permission(self, request):
        return request.user.has_perm("shops.ban_shop")

    def has_violations_permission(self, request):
        return request.user.has_perm("shops.adjust_violations")

    def has_standing_permission(self, request):
        return request.user.has_perm("shops.set_standing")

    def has_deposit_permission(self, request):
        return request.user.has_perm("shops.manage_deposit")

    # --- actions ------------------------------------------------------------------------------
    suspend_shops = shop_service_action(
        staff_svc.shop_suspend, description="Suspend (with a reason)", permissions=["suspend"],
        title="Suspend shops",
        intro="Buyers cannot order from a suspended shop; the owners are emailed the reason.",
    )  # fmt: skip
    reinstate_shops = shop_service_action(
        staff_svc.shop_reinstate, description="Lift a suspension", permissions=["suspend"],
        title="Lift suspensions",
    )  # fmt: skip
    ban_shops = shop_service_action(
        staff_svc.shop_ban, description="Ban (with a reason)", permissions=["ban"],
        title="Ban shops", intro="A ban is permanent unless staff lift it.",
    )  # fmt: skip
    end_investigation = shop_service_action(
        staff_svc.shop_end_investigation, description="End the investigation period",
        permissions=["standing"], title="End investigation periods",
        intro="The investigation order cap stops; delisted products stay delisted until the "
        "seller re-lists them.",
    )  # fmt: skip

    @admin.action(description="Mark the store deposit paid", permissions=["deposit"])
    def mark_deposit_paid(self, request, queryset):
        self._each(request, queryset, lambda shop: staff_svc.shop_set_deposit(
            shop=shop, actor=request.user, paid=True
        ))  # fmt: skip

    @admin.action(description="Mark the store deposit refunded", permissions=["deposit"])
    def mark_deposit_refunded(self, request, queryset):
        self._each(request, queryset, lambda shop: staff_svc.shop_set_deposit(
            shop=shop, actor=request.user, paid=False
        ))  # fmt: skip

    adjust_violation_points = shop_service_action(
        staff_svc.violation_adjust, description="Adjust violation points",
        permissions=["violations"], title="Adjust violation points", form_class=PointsForm,
    )  # fmt: skip
    set_sps = shop_service_action(
        staff_svc.shop_set_sps, description="Set the SPS", permissions=["standing"],
        title="Set the Shop Performance Score", form_class=SpsForm,
    )  # fmt: skip
    end_probation = shop_service_action(
        staff_svc.probation_set, description="End probation", permissions=["standing"],
        title="End probation", on=False,
    )  # fmt: skip
    extend_probation = shop_service_action(
        staff_svc.probation_set, description="Extend probation", permissions=["standing"],
        title="Extend probation", form_class=ProbationExtendForm, on=True,
    )  # fmt: skip

    def _each(self, request, queryset, apply) -> None:
        apply_each(self, request, queryset, apply, done="Updated {n} shop(s).")
