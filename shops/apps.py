from django.apps import AppConfig


class ShopsConfig(AppConfig):
    name = "shops"
    verbose_name = "Shops"

    def ready(self):
        from shops import receivers  # noqa: F401 — connects the sign-in activity receiver
