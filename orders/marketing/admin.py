"""Staff admin for platform campaigns (found by Django's admin autodiscovery).

Campaigns are platform-wide; deleting one touches shops' registrations, so every admin page
here runs with scopes disabled (explicit and grep-able).
"""

from django.contrib import admin
from django_scopes import scopes_disabled

from orders.marketing.models import Campaign


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "registration_starts_at",
        "registration_ends_at",
        "starts_at",
        "ends_at",
        "min_discount_percent",
    )
    search_fields = ("name",)
    date_hierarchy = "starts_at"
    fieldsets = (
        (None, {"fields": ("name", "description", "min_discount_percent")}),
        ("Registration window", {"fields": ("registration_starts_at", "registration_ends_at")}),
        ("Campaign window", {"fields": ("starts_at", "ends_at")}),
    )

    def changelist_view(self, request, extra_context=None):
        with scopes_disabled():
            return _rendered(super().changelist_view(request, extra_context))

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        with scopes_disabled():
            return _rendered(super().changeform_view(request, object_id, form_url, extra_context))

    def delete_view(self, request, object_id, extra_context=None):
        with scopes_disabled():
            return _rendered(super().delete_view(request, object_id, extra_context))


def _rendered(response):
    if hasattr(response, "render") and not response.is_rendered:
        response.render()
    return response
