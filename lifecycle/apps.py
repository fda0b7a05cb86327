from django.apps import AppConfig


class LifecycleConfig(AppConfig):
    name = "lifecycle"
    verbose_name = "Shop lifecycle"

    def ready(self):
        from lifecycle import receivers  # noqa: F401 — connects the activity receiver
        from lifecycle.eligibility import shop_is_eligible
        from orders.marketing.selectors import eligibility_source_set

        # Campaign registration (orders.marketing) asks lifecycle's eligibility rule, handed down.
        eligibility_source_set(shop_is_eligible)
