from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and security"

    def ready(self):
        # Audit records for password changes; identity versions for user and device changes.
        from accounts import receivers

        receivers.connect_device_receivers()
