from django.apps import AppConfig


class OpenPlatformConfig(AppConfig):
    name = "openplatform"
    verbose_name = "Open Platform"

    def ready(self):
        from openplatform import receivers  # noqa: F401
