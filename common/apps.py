from django.apps import AppConfig


class CommonConfig(AppConfig):
    """The plumbing package as an app only for its one table: the email outbox."""

    name = "common"
    verbose_name = "Platform plumbing"
