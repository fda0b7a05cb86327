"""django-otp's middleware with the session's device loaded by one prepared SELECT.

Every request of a verified session loads its device (``user.is_verified()``); the ORM
spent more CPU building that query than the database answering it. Same semantics as
``Device.from_persistent_id``: "<app_label>.<model>/<id>" of a Device subclass, else None;
django-otp's own checks (device belongs to the user, confirmed) still run after it.
"""

from django.apps import apps
from django_otp.middleware import OTPMiddleware as BaseOTPMiddleware
from django_otp.models import Device

from accounts.fastload import Columns, fetch, prepared_sql

_COLUMNS: dict = {}


class OTPMiddleware(BaseOTPMiddleware):
    def _device_from_persistent_id(self, persistent_id: str):
        return device_by_persistent_id(self._normalize_persistent_id(persistent_id))


def device_by_persistent_id(persistent_id: str):
    try:
        model_label, device_id = persistent_id.rsplit("/", 1)
        app_label, model_name = model_label.split(".")
        model = apps.get_model(app_label, model_name)
        pk = int(device_id)
    except (ValueError, LookupError):
        return None
    if not issubclass(model, Device):
        return None
    columns = _COLUMNS.get(model) or _COLUMNS.setdefault(model, Columns(model, "d"))

    def build(connection, q) -> str:
        return (
            f"SELECT {columns.sql(connection)} FROM {q(model._meta.db_table)} d "  # noqa: S608
            f"WHERE d.{q(model._meta.pk.column)} = %s"
        )

    rows = fetch(prepared_sql(("device", model), build), [pk], [columns])
    return rows[0][0] if rows else None
