from allauth.account.admin import EmailAddressAdmin as AllauthEmailAddressAdmin
from allauth.account.models import EmailAddress
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts import audit
from accounts.admin_site import LargeTablePaginator, ReadOnlyFields, ViewOnly
from accounts.models import (
    AuditEvent,
    AuthenticatorDevice,
    BackupCodeDevice,
    EmailCodeDevice,
    SecondFactorGuard,
    User,
)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "account_type", "is_active", "is_staff", "date_joined"]
    list_filter = ["is_active", "is_staff", "account_type"]
    search_fields = ["email", "full_name", "phone"]
    show_full_result_count = False  # one COUNT per page on a large user table
    paginator = LargeTablePaginator
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Profile", {"fields": ["full_name", "phone", "account_type"]}),
        (
            "Permissions",
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


class AuditFamilyFilter(admin.SimpleListFilter):
    """By the family of the action ("shop.", "2fa."…): a prefix range on the action index, no
    DISTINCT over the whole (ever-growing) table."""

    title = "kind of action"
    parameter_name = "family"
    FAMILIES = [
        ("shop.", "Staff decisions on shops"),
        ("product.", "Staff decisions on products"),
        ("verification.", "Verification reviews"),
        ("onboarding.", "Onboarding"),
        ("probation.", "Probation"),
        ("bank_account.", "Bank account"),
        ("2fa.", "Two-step verification"),
        ("account.", "Sign-in and account"),
        ("finance.", "Finance and withdrawals"),
        ("lifecycle.", "Unlink, deactivate, delete, export, inactivity"),
        ("order.", "Orders"),
        ("returns.", "Returns"),
    ]

    def lookups(self, request, model_admin):
        return self.FAMILIES

    def queryset(self, request, queryset):
        if self.value() in dict(self.FAMILIES):
            return queryset.filter(action__startswith=self.value())
        return queryset


class AuditActorFilter(admin.SimpleListFilter):
    title = "actor"
    parameter_name = "by"

    def lookups(self, request, model_admin):
        return [("system", "The system (sweeps, tasks)"), ("staff", "Platform staff")]

    def queryset(self, request, queryset):
        if self.value() == "system":
            return queryset.filter(actor_label=audit.SYSTEM)
        if self.value() == "staff":
            return queryset.filter(actor__is_staff=True)
        return queryset


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyFields, ViewOnly, admin.ModelAdmin):
    """The audit log: readable with filters, never added to, edited or deleted here."""

    list_display = ["occurred_at", "actor_label", "action", "shop_id", "target_repr", "ip"]
    list_filter = [
        AuditFamilyFilter,
        AuditActorFilter,
        ("occurred_at", admin.DateFieldListFilter),
    ]
    search_fields = ["=action", "=actor_label", "=shop_id", "=target_id"]
    search_help_text = "Exact action (shop.status_changed), actor email, shop id or target id."
    show_full_result_count = False
    paginator = LargeTablePaginator  # the audit log only grows
    list_per_page = 50
    actions = None  # not even "delete selected"


# --- second factors: visible to staff, secrets never shown ------------------------------------
@admin.register(AuthenticatorDevice, BackupCodeDevice, EmailCodeDevice)
class SecondFactorDeviceAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "confirmed", "created_at", "last_used_at"]
    search_fields = ["user__email"]
    list_select_related = ["user"]
    fields = ["user", "name", "confirmed", "created_at", "last_used_at", "throttling_failure_count"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False  # devices are enrolled by their owner, never by staff

    def has_change_permission(self, request, obj=None):
        return False

    # Staff may remove a lost device after checking the person's identity: audited.
    def delete_model(self, request, obj):
        audit.record(actor=request.user, action="2fa.device_removed", target=obj.user)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for device in queryset.select_related("user"):
            audit.record(actor=request.user, action="2fa.device_removed", target=device.user)
        super().delete_queryset(request, queryset)


@admin.register(SecondFactorGuard)
class SecondFactorGuardAdmin(admin.ModelAdmin):
    list_display = ["user", "consecutive_failures", "locked_at"]
    list_filter = [("locked_at", admin.EmptyFieldListFilter)]
    search_fields = ["user__email"]
    readonly_fields = ["user", "consecutive_failures", "locked_at"]
    actions = ["unlock"]

    def has_add_permission(self, request):
        return False

    @admin.action(
        description="Unlock two-step verification (after checking identity)",
        permissions=["change"],
    )
    def unlock(self, request, queryset):
        from accounts.twofactor import second_factor_unlock

        for guard in queryset.select_related("user"):
            second_factor_unlock(actor=request.user, user=guard.user)
        self.message_user(request, f"Unlocked {queryset.count()} account(s).")


# allauth's own admin lets anyone who can see an email address mark it verified; here it takes
# the right to change email addresses, as every admin action declares the right it needs.
admin.site.unregister(EmailAddress)


@admin.register(EmailAddress)
class EmailAddressAdmin(AllauthEmailAddressAdmin):
    @admin.action(description="Mark selected email addresses as verified", permissions=["change"])
    def make_verified(self, request, queryset):
        return super().make_verified(request, queryset)
