from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = "Catalog and inventory"

    def ready(self):
        # Issue 7: the staff admin for platform campaigns.
        from catalog import admin_marketing  # noqa: F401
