from django.apps import AppConfig


class ShopsConfig(AppConfig):
    name = "shops"
    verbose_name = "Shops"

    def ready(self):
        # No seller page for a signed-in session that still owes its second factor.
        from accounts.twofactor import second_factor_gate
        from shops import receivers  # noqa: F401 — connects the sign-in activity receiver
        from shops.tenancy import GATES

        if second_factor_gate not in GATES:
            GATES.append(second_factor_gate)
