from django.contrib.admin import apps


class StaffAdminConfig(apps.AdminConfig):
    """django.contrib.admin whose default site asks staff for their second factor."""

    default = False
    default_site = "accounts.admin_site.StaffAdminSite"
