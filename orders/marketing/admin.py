"""Staff admin for platform campaigns (found by Django's admin autodiscovery).

Campaigns are platform-wide; deleting one touches shops' registrations, so every admin page
here runs with scopes disabled (explicit and grep-able).
"""

from django.contrib import admin

from orders.marketing.models import Campaign
from shops.admin_console import CrossShopAdmin


@admin.register(Campaign)
class CampaignAdmin(CrossShopAdmin):
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
