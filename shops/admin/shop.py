"""The staff console's shop list: filters, inlines and every staff decision about a shop.

Each action calls a service in ``shops.services.staff`` (audited there) and needs its own
permission. Apps above shops add their own filters and actions through ``shop_console_extend``
(lifecycle: the inactivity stage, lifting a ban), so this module never imports upwards.
"""

from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.db.models import OuterRef, Subquery, Sum

from shops.admin_console import ReasonForm, StaffConsoleAdmin, reason_form_action
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
class ShopAdmin(StaffConsoleAdmin):
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

    def get_readonly_fields(self, request, obj=None):
        # Nothing is edited in the form: every change is an action that says why.
        return [f.name for f in Shop._meta.fields]

    def has_add_permission(self, request):
        return False  # sellers open shops; staff never do

    def has_delete_permission(self, request, obj=None):
        return False  # deletion is the seller's (SPEC §9.3), with its own safeguards

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
    @admin.action(description="Suspend (with a reason)", permissions=["suspend"])
    def suspend_shops(self, request, queryset):
        return reason_form_action(
            self,
            request,
            queryset,
            title="Suspend shops",
            intro="Buyers cannot order from a suspended shop; the owners are emailed the reason.",
            apply=lambda shop, data: staff_svc.shop_suspend(
                shop=shop, actor=request.user, reason=data["reason"]
            ),
        )

    @admin.action(description="Lift a suspension", permissions=["suspend"])
    def reinstate_shops(self, request, queryset):
        return reason_form_action(
            self,
            request,
            queryset,
            title="Lift suspensions",
            apply=lambda shop, data: staff_svc.shop_reinstate(
                shop=shop, actor=request.user, reason=data["reason"]
            ),
        )

    @admin.action(description="Ban (with a reason)", permissions=["ban"])
    def ban_shops(self, request, queryset):
        return reason_form_action(
            self,
            request,
            queryset,
            title="Ban shops",
            intro="A ban is permanent unless staff lift it.",
            apply=lambda shop, data: staff_svc.shop_ban(
                shop=shop, actor=request.user, reason=data["reason"]
            ),
        )

    @admin.action(description="End the investigation period", permissions=["standing"])
    def end_investigation(self, request, queryset):
        return reason_form_action(
            self,
            request,
            queryset,
            title="End investigation periods",
            intro="The investigation order cap stops; delisted products stay delisted until the "
            "seller re-lists them.",
            apply=lambda shop, data: staff_svc.shop_end_investigation(
                shop=shop, actor=request.user, reason=data["reason"]
            ),
        )

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

    @admin.action(description="Adjust violation points", permissions=["violations"])
    def adjust_violation_points(self, request, queryset):
        return reason_form_action(
            self,
            request,
            queryset,
            title="Adjust violation points",
            form_class=PointsForm,
            apply=lambda shop, data: staff_svc.violation_adjust(
                shop=shop,
                actor=request.user,
                points=data["points"],
                reason=data["reason"],
                fraud=data["fraud"],
            ),
        )

    @admin.action(description="Set the SPS", permissions=["standing"])
    def set_sps(self, request, queryset):
        return reason_form_action(
            self,
            request,
            queryset,
            title="Set the Shop Performance Score",
            form_class=SpsForm,
            apply=lambda shop, data: staff_svc.shop_set_sps(
                shop=shop, actor=request.user, sps=data["sps"], reason=data["reason"]
            ),
        )

    @admin.action(description="End probation", permissions=["standing"])
    def end_probation(self, request, queryset):
        return reason_form_action(
            self,
            request,
            queryset,
            title="End probation",
            apply=lambda shop, data: staff_svc.probation_set(
                shop=shop, actor=request.user, on=False, reason=data["reason"]
            ),
        )

    @admin.action(description="Extend probation", permissions=["standing"])
    def extend_probation(self, request, queryset):
        return reason_form_action(
            self,
            request,
            queryset,
            title="Extend probation",
            form_class=ProbationExtendForm,
            apply=lambda shop, data: staff_svc.probation_set(
                shop=shop, actor=request.user, on=True, until=data["until"], reason=data["reason"]
            ),
        )

    def _each(self, request, queryset, apply) -> None:
        from django.core.exceptions import ValidationError

        done = 0
        for shop in queryset:
            try:
                apply(shop)
            except ValidationError as exc:
                self.message_user(request, f"{shop}: {' '.join(exc.messages)}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(request, f"Updated {done} shop(s).", messages.SUCCESS)
