"""What deleting a shop removes, what the law keeps, and when that goes too (SPEC §9.3).

After the owner confirms, ``shop_data_delete`` removes every row of every shop-owned model
(found through ``django.apps``: a model added later is removed too unless it is named in
``RETAINED``) and every file those rows point at. Only the records the law requires stay —
orders and their lines, settlements, the financial ledger, withdrawals and refunds — without
personal data, for ``POLICY.deleted_shop_records_keep_years``; a ``RecordsRetention`` row holds
the date. The daily ``retained_records_purge`` then removes them and the shop row itself.
The audit trail (accounts.AuditEvent, by shop id only) is the platform's, and outlives both.
"""

from datetime import date

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from accounts import audit
from common.clock import local_date, years_after
from common.errors import Refused
from common.policy import POLICY
from lifecycle.models import RecordsRetention
from shops.models import Shop

# The records the law requires, kept (anonymised) until the retention period ends.
RETAINED = frozenset(
    {
        "orders.Order",
        "orders.OrderLine",
        "orders.OrderSettlement",
        "orders.LedgerEntry",
        "orders.Withdrawal",
        "orders.ReturnRequest",  # refunds: the ledger's refund entries point at them
        "lifecycle.RecordsRetention",
    }
)
# What of the retained records would tell who the buyer was, or what they wrote.
ANONYMISED = {
    "orders.Order": {
        "buyer_name": "Deleted buyer",
        "buyer_email": "",
        "buyer_phone": "",
        "ship_line1": "",
        "ship_city": "",
        "ship_state": "",
        "ship_postcode": "",
        "traffic_source": "",
        "cancel_reason": "",
        "checkout_key": None,
    },
    "orders.ReturnRequest": {
        "note": "",
        "rejection_reason": "",
        "receipt_rejection_reason": "",
        "escalation_note": "",
        "staff_decision_note": "",
        "return_tracking": "",
    },
}
# Rows removed per DELETE, so a large catalogue never becomes one giant statement.
DELETE_CHUNK = 2000


class DeletionError(Refused):
    """Only a deleted shop's data is removed."""


def shop_owned_models() -> list[type[models.Model]]:
    """Every model with a foreign key to Shop, those that PROTECT others first (so deleting in
    this order never trips a PROTECT)."""
    owned = [
        model
        for model in apps.get_models()
        if any(f.is_relation and f.concrete and f.related_model is Shop for f in model._meta.fields)
    ]
    return sorted(owned, key=lambda model: not _protects(model))


def shop_data_delete(*, shop_id: int) -> None:
    """Remove the deleted shop's inventory, sales records, personal data, documents and files;
    keep the law's records without personal data until the retention date. Idempotent."""
    from common.models import OutboxEmail

    with scopes_disabled():
        shop = Shop.objects.get(pk=shop_id)
        if shop.status != Shop.Status.DELETED:
            raise DeletionError("Only a deleted shop's data is removed.")
        _remove_files(shop)
        with transaction.atomic():
            deleted_at = _deleted_at(shop)
            for model in shop_owned_models():
                if model._meta.label in RETAINED:
                    _anonymise(model, shop)
                else:
                    _delete_rows(model._base_manager.filter(shop=shop))
            OutboxEmail.objects.filter(shop_id=shop.pk).delete()  # addresses and words sent
            RecordsRetention.objects.get_or_create(
                shop=shop,
                defaults={
                    "deleted_at": deleted_at,
                    "purge_on": years_after(
                        local_date(deleted_at), POLICY.deleted_shop_records_keep_years
                    ),
                },
            )
            Shop.objects.filter(pk=shop.pk).update(
                name=f"Deleted shop {shop.pk}", slug=f"deleted-{shop.pk}"
            )
            audit.record(actor=None, action="lifecycle.shop_data_deleted", shop=shop.pk)


def retained_records_purge(*, today: date | None = None) -> int:
    """Daily: deleted shops whose retention period has ended lose their last records and the
    shop row itself. Returns how many shops were purged."""
    today = today or local_date()
    purged = 0
    with scopes_disabled():
        due = list(
            RecordsRetention.objects.filter(
                purge_on__lte=today, shop__status=Shop.Status.DELETED
            ).values_list("shop_id", flat=True)
        )
        for shop_id in due:
            with transaction.atomic():
                for model in shop_owned_models():
                    _delete_rows(model._base_manager.filter(shop_id=shop_id))
                Shop.objects.filter(pk=shop_id, status=Shop.Status.DELETED).delete()
                audit.record(actor=None, action="lifecycle.retained_records_purged", shop=shop_id)
            purged += 1
    return purged


def _deleted_at(shop: Shop):
    """When the shop was deleted: its retention row (a re-run), else its status history."""
    from shops.models import ShopStatusChange

    kept = RecordsRetention.objects.filter(shop=shop).values_list("deleted_at", flat=True).first()
    changed = (
        ShopStatusChange.objects.filter(shop=shop, to_status=Shop.Status.DELETED)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    return kept or changed or timezone.now()


def _anonymise(model: type[models.Model], shop: Shop) -> None:
    rows = model._base_manager.filter(shop=shop)
    values = dict(ANONYMISED.get(model._meta.label, {}))
    user_model = settings.AUTH_USER_MODEL.lower()
    for field in model._meta.fields:  # nobody: who adjusted, requested or decided
        if field.is_relation and field.null and field.related_model._meta.label_lower == user_model:
            values[field.name] = None
    if values:
        rows.update(**values)


def _delete_rows(rows: models.QuerySet) -> None:
    while pks := list(rows.order_by("pk").values_list("pk", flat=True)[:DELETE_CHUNK]):
        rows.model._base_manager.filter(pk__in=pks).delete()


def _protects(model: type[models.Model]) -> bool:
    return any(
        f.is_relation and f.concrete and f.remote_field.on_delete is models.PROTECT
        for f in model._meta.fields
    )


def _remove_files(shop: Shop) -> None:
    """Every file a shop-owned row points at (documents, images, photos, exports) leaves storage."""
    from lifecycle.services.export import export_files_delete

    for model in shop_owned_models():
        file_fields = [f for f in model._meta.fields if isinstance(f, models.FileField)]
        for field in file_fields:
            for row in model._base_manager.filter(shop=shop).exclude(**{field.name: ""}):
                getattr(row, field.name).delete(save=False)
            model._base_manager.filter(shop=shop).update(**{field.name: ""})
    export_files_delete(shop_id=shop.pk)
