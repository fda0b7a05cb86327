"""The AppConfig base of the domains nested in orders (returns, inbox, finance, analytics,
marketing). Their apps.py import this module, not the class, so Django still finds exactly one
AppConfig in each."""

from importlib import import_module
from importlib.util import find_spec

from django.apps import AppConfig


class NestedDomainConfig(AppConfig):
    """Nested in orders: Django and Celery find the package's admin and tasks on their own.

    Its models keep ``app_label = "orders"`` (see its models.py), so its label owns no tables.
    Its ``receivers`` module, where it has one, connects its signal receivers at start."""

    def ready(self):
        if find_spec(f"{self.name}.receivers"):
            import_module(f"{self.name}.receivers")
