from django.apps import AppConfig


class LifecycleConfig(AppConfig):
    name = "lifecycle"
    verbose_name = "Shop lifecycle"

    def ready(self):
        from lifecycle import receivers  # noqa: F401 — connects the activity receiver
