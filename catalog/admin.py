"""Staff console for products and the category tree. Suspending and lifting call the
catalog services (audited there); the seller sees the suspension reason on the product page."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django_scopes import scope

from accounts.admin_site import ReadOnlyFields
from catalog.models import Category, Product
from catalog.services.products.actions import product_lift_suspension, product_suspend
from common.transitions import TransitionRefused
from shops.admin_console import ReasonForm, StaffConsoleAdmin, reason_form_action


class ShopFilter(admin.SimpleListFilter):
    """Filter by one shop (its exact slug or id): a list of a million shops is no filter."""

    title = "shop"
    parameter_name = "shop"
    template = "admin/catalog/shop_filter.html"

    def lookups(self, request, model_admin):
        return [("", "")]  # the template shows a text box instead

    def has_output(self):
        return True

    def choices(self, changelist):
        # One "choice": the other active filters, kept as hidden inputs of the text box's form.
        kept = {k: v for k, v in changelist.params.items() if k not in (self.parameter_name, "p")}
        yield {"kept": [(k, v[-1] if isinstance(v, list) else v) for k, v in kept.items()]}

    def queryset(self, request, queryset):
        value = (self.value() or "").strip()
        if not value:
            return queryset
        if value.isdigit():
            return queryset.filter(shop_id=int(value))
        return queryset.filter(shop__slug=value)


class SuspendForm(ReasonForm):
    reason = ReasonForm.base_fields["reason"].__class__(
        max_length=1000,
        widget=ReasonForm.base_fields["reason"].widget,
        help_text="The seller sees this on the product page: say what to fix.",
    )


@admin.register(Product)
class ProductAdmin(ReadOnlyFields, StaffConsoleAdmin):
    list_display = ["title", "shop", "status", "reason", "resubmitted_at", "updated_at"]
    list_filter = ["status", ShopFilter]
    list_select_related = ["shop", "category"]
    search_fields = ["title"]
    ordering = ["-id"]
    list_per_page = 50
    autocomplete_fields = ["shop", "category"]
    actions = ["suspend_products", "lift_suspensions"]

    def has_suspend_permission(self, request):
        return request.user.has_perm("catalog.suspend_product")

    @admin.display(description="Reason")
    def reason(self, obj):
        return (obj.status_reason or "")[:80]

    @admin.action(description="Suspend (the seller sees the reason)", permissions=["suspend"])
    def suspend_products(self, request, queryset):
        def apply(product, data):
            with scope(shop=product.shop):
                try:
                    product_suspend(
                        shop=product.shop,
                        actor=request.user,
                        product=product,
                        reason=data["reason"],
                    )
                except TransitionRefused as exc:
                    raise ValidationError(str(exc)) from exc

        return reason_form_action(
            self,
            request,
            queryset.select_related("shop"),
            title="Suspend products",
            form_class=SuspendForm,
            intro="A suspended product goes offline; the seller may fix it and resubmit.",
            apply=apply,
        )

    @admin.action(description="Lift the suspension", permissions=["suspend"])
    def lift_suspensions(self, request, queryset):
        done = 0
        for product in queryset.select_related("shop"):
            if product.status != Product.Status.SUSPENDED:
                self.message_user(request, f"{product}: not suspended.", messages.ERROR)
                continue
            with scope(shop=product.shop):
                try:
                    product_lift_suspension(shop=product.shop, actor=request.user, product=product)
                except (TransitionRefused, ValidationError) as exc:
                    self.message_user(request, f"{product}: {exc}", messages.ERROR)
                    continue
            done += 1
            if product.status != Product.Status.LIVE:
                self.message_user(
                    request,
                    f"{product}: suspension lifted, but it cannot go live yet: "
                    f"{product.status_reason}",
                    messages.WARNING,
                )
        if done:
            self.message_user(request, f"Lifted {done} suspension(s).", messages.SUCCESS)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["__str__", "slug"]
    list_select_related = ["parent__parent"]
    search_fields = ["name", "slug"]
    autocomplete_fields = ["parent"]
    prepopulated_fields = {"slug": ["name"]}
    ordering = ["parent__name", "name"]
