"""The shop's data export (SPEC §9.3): a zip of CSVs and documents, built in the background.

Files live in ``STORAGES["private"]`` under ``exports/<shop id>/``; only owners download them;
they expire after ``POLICY.data_export_keep_days`` and a beat task removes them.
"""

import io
import zipfile
from collections.abc import Callable, Iterable
from datetime import timedelta

from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import models, transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from accounts import audit
from catalog.models import SKU, Product
from common.csvio import csv_text
from common.errors import DomainError
from common.policy import POLICY
from lifecycle.models import DataExport
from lifecycle.tasks import build_export_task
from orders.inbox.models import Message
from orders.models import Order, OrderLine
from orders.models.orders import mask_buyer_email, mask_buyer_phone
from orders.returns.models import ReturnRequest
from shops.models import Shop


class ExportError(DomainError):
    pass


def export_request(*, shop: Shop, actor, ip: str | None = None) -> DataExport:
    """Queue an export; a running one is reused rather than started twice."""
    with transaction.atomic():
        Shop.objects.select_for_update().get(pk=shop.pk)
        running = DataExport.objects.filter(
            shop=shop, status__in=[DataExport.Status.PENDING, DataExport.Status.RUNNING]
        ).first()
        if running:
            return running
        export = DataExport.objects.create(shop=shop, requested_by=actor)
        audit.record(
            actor=actor, action="lifecycle.export_requested", shop=shop, target=export, ip=ip
        )
        build_export_task.delay_on_commit(shop_id=shop.pk, export_id=export.pk)
    return export


def export_build(*, export_id: int) -> None:
    """Write the zip part by part, moving the progress bar after each. Idempotent."""
    claimed = DataExport.objects.filter(
        pk=export_id, status__in=[DataExport.Status.PENDING, DataExport.Status.RUNNING]
    ).update(status=DataExport.Status.RUNNING, progress=0)
    if not claimed:
        return
    export = DataExport.objects.select_related("shop").get(pk=export_id)
    shop = export.shop
    parts: list[tuple[str, Callable[[zipfile.ZipFile], None]]] = [
        ("products.csv", lambda z: _csv(z, "products.csv", *_products(shop))),
        ("orders.csv", lambda z: _csv(z, "orders.csv", *_orders(shop))),
        ("order_lines.csv", lambda z: _csv(z, "order_lines.csv", *_order_lines(shop))),
        ("returns.csv", lambda z: _csv(z, "returns.csv", *_returns(shop))),
        ("messages.csv", lambda z: _csv(z, "messages.csv", *_messages(shop))),
        ("documents", lambda z: _documents(z, shop)),
    ]
    buffer = io.BytesIO()
    try:
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for done, (_name, write) in enumerate(parts, start=1):
                write(archive)
                DataExport.objects.filter(pk=export_id).update(progress=int(done * 90 / len(parts)))
        storage = storages["private"]
        name = storage.save(
            f"exports/{shop.pk}/{shop.slug}-{timezone.now():%Y%m%d-%H%M%S}-{export_id}.zip",
            ContentFile(buffer.getvalue()),
        )
    except Exception as error:
        DataExport.objects.filter(pk=export_id).update(
            status=DataExport.Status.FAILED, error=str(error)[:500]
        )
        raise
    now = timezone.now()
    DataExport.objects.filter(pk=export_id).update(
        status=DataExport.Status.READY,
        progress=100,
        file_name=name,
        size_bytes=len(buffer.getvalue()),
        finished_at=now,
        expires_at=now + timedelta(days=POLICY.data_export_keep_days),
    )


def export_open(export: DataExport):
    """The file of a ready, unexpired export, or ExportError."""
    if export.status == DataExport.Status.EXPIRED:
        raise ExportError("This export has expired: prepare a new one.")
    if export.status != DataExport.Status.READY or not export.file_name:
        raise ExportError("This export is not ready.")
    if export.expires_at and export.expires_at <= timezone.now():
        raise ExportError("This export has expired: prepare a new one.")
    try:
        return storages["private"].open(export.file_name, "rb")
    except FileNotFoundError:  # removed from storage behind our back: a message, not a 500
        raise ExportError("This export's file is no longer available: prepare a new one.") from None


def exports_expire(*, now=None) -> int:
    """Remove the files of exports past their expiry (beat, daily), across every shop."""
    now = now or timezone.now()
    with scopes_disabled():
        expired = list(
            DataExport.objects.filter(status=DataExport.Status.READY, expires_at__lte=now)
        )
        storage = storages["private"]
        for export in expired:
            if export.file_name:
                storage.delete(export.file_name)
        return DataExport.objects.filter(pk__in=[e.pk for e in expired]).update(
            status=DataExport.Status.EXPIRED, file_name=""
        )


def export_files_delete(*, shop_id: int) -> None:
    """Every export file of a shop leaves storage (shop deletion)."""
    storage = storages["private"]
    for export in DataExport.objects.filter(shop_id=shop_id).exclude(file_name=""):
        storage.delete(export.file_name)
    DataExport.objects.filter(shop_id=shop_id).delete()


def _csv(archive: zipfile.ZipFile, name: str, header: list[str], rows: Iterable) -> None:
    archive.writestr(name, csv_text(header, rows))


def _products(shop):
    header = ["product_id", "title", "status", "seller_sku", "attributes", "price", "on_hand"]
    rows = (
        [
            p.product_id,
            p.product.title,
            p.product.status,
            p.seller_sku,
            p.attributes,
            p.price,
            p.on_hand,
        ]
        for p in SKU.objects.filter(shop=shop)
        .select_related("product")
        .order_by("product_id", "id")
    )
    bare = (
        [p.pk, p.title, p.status, "", "", "", ""]
        for p in Product.objects.filter(shop=shop, skus__isnull=True).order_by("id")
    )
    return header, [*rows, *bare]


def _orders(shop):
    """Buyer contact masked as the order pages show it (Order.masked_email / masked_phone)."""
    fields = [
        "number", "status", "placed_at", "buyer_name", "buyer_email", "buyer_phone",
        "ship_line1", "ship_city", "ship_state", "ship_postcode", "currency", "subtotal",
        "shipping_fee", "discount", "total",
    ]  # fmt: skip
    email, phone = fields.index("buyer_email"), fields.index("buyer_phone")
    rows = Order.objects.filter(shop=shop).order_by("placed_at", "id").values_list(*fields)
    masked = (
        [
            *row[:email],
            mask_buyer_email(row[email]),
            mask_buyer_phone(row[phone]),
            *row[phone + 1 :],
        ]
        for row in rows.iterator(chunk_size=2000)
    )
    return fields, masked


def _order_lines(shop):
    fields = ["order__number", "seller_sku", "title", "quantity", "unit_price", "line_total"]
    return fields, OrderLine.objects.filter(shop=shop).order_by("id").values_list(*fields)


def _returns(shop):
    fields = ["order__number", "kind", "status", "reason", "note", "refund_amount", "requested_at"]
    return fields, ReturnRequest.objects.filter(shop=shop).order_by("id").values_list(*fields)


def _messages(shop):
    fields = ["conversation_id", "conversation__buyer_name", "from_buyer", "sent_at", "body"]
    return fields, Message.objects.filter(shop=shop).order_by("id").values_list(*fields)


def _documents(archive: zipfile.ZipFile, shop) -> None:
    """Every file of a shop-owned row (verification documents, images) goes in documents/."""
    for model in apps.get_models():
        if model is DataExport or not any(f.name == "shop" for f in model._meta.fields):
            continue
        for field in (f for f in model._meta.fields if isinstance(f, models.FileField)):
            for row in model._base_manager.filter(shop=shop).exclude(**{field.name: ""}):
                file = getattr(row, field.name)
                with file.open("rb") as handle:
                    archive.writestr(
                        f"documents/{model._meta.model_name}/{file.name}", handle.read()
                    )
