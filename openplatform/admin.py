"""Staff register partner apps: oauth2_provider's Application (client id and secret, redirect
URIs, grant type) with the scopes it may request; apps authorized by shops are read-only."""

from django.contrib import admin
from oauth2_provider.admin import ApplicationAdmin
from oauth2_provider.models import get_application_model

from openplatform.models import PartnerApp, ShopApp

Application = get_application_model()


class PartnerAppInline(admin.StackedInline):
    model = PartnerApp
    can_delete = False
    verbose_name = "Scopes it may request"
    verbose_name_plural = verbose_name


if admin.site.is_registered(Application):
    admin.site.unregister(Application)


@admin.register(Application)
class PartnerApplicationAdmin(ApplicationAdmin):
    inlines = [PartnerAppInline]


@admin.register(ShopApp)
class ShopAppAdmin(admin.ModelAdmin):
    list_display = ["name", "shop", "kind", "created_at", "last_call_at", "revoked_at"]
    list_filter = ["kind"]
    readonly_fields = [f.name for f in ShopApp._meta.fields if f.name != "id"]

    def get_queryset(self, request):
        from django_scopes import scopes_disabled

        with scopes_disabled():  # staff see every shop's apps (a cross-shop read)
            return super().get_queryset(request).select_related("shop")

    def has_add_permission(self, request):
        return False
