from django.apps import AppConfig


class SellercenterConfig(AppConfig):
    name = "sellercenter"
    verbose_name = "Seller Center"

    def ready(self):
        from sellercenter.celery import ensure_broker_dirs

        ensure_broker_dirs()
