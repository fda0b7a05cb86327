from django.apps import AppConfig


class OpenPlatformConfig(AppConfig):
    name = "openplatform"
    verbose_name = "Open Platform"
