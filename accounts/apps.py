from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and security"

    def ready(self):
        from accounts import receivers  # noqa: F401 — audit records for password changes
