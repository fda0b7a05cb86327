"""Shared fixtures and helpers for the security suite (imported by the test modules)."""

import hashlib
from pathlib import Path

import pytest
from django.apps import apps
from django.core import serializers
from django.core.files.storage import FileSystemStorage, storages

from orders.returns.models import ReturnPhoto
from shops.models import VerificationDocument
from tests.security.urlwalk import all_patterns, fill
from tests.shops.test_tenant_isolation import CANARY, shop_a_world  # noqa: F401 — fixture


@pytest.fixture
def isolated_storage(tmp_path, settings, monkeypatch):
    """Public media and private files go to throwaway folders the tests can list."""
    media, private = tmp_path / "media", tmp_path / "private"
    media.mkdir()
    private.mkdir()
    settings.MEDIA_ROOT = str(media)
    store = FileSystemStorage(location=str(private))
    monkeypatch.setitem(storages._storages, "private", store)
    for model, name in ((VerificationDocument, "file"), (ReturnPhoto, "image")):
        monkeypatch.setattr(model._meta.get_field(name), "storage", store)
    return media, private


def files_under(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in Path(root).rglob("*") if p.is_file()}


def db_rows() -> dict[str, list[dict]]:
    """Every row of every model, as {label: [serialized rows]} (sessions and cache left out)."""
    out = {}
    for model in sorted(apps.get_models(), key=lambda m: m._meta.label):
        if model._meta.label == "sessions.Session" or model._meta.db_table == "sellercenter_cache":
            continue
        out[model._meta.label] = serializers.serialize("python", model._base_manager.order_by("pk"))
    return out


def digest(rows) -> str:
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def urls_for(shop, *, only=None):
    """(view name, URL) of every pattern that can be filled for ``shop``."""
    for name, params in all_patterns():
        if only and not only(name, params):
            continue
        url = fill(name, params, shop)
        if url is not None:
            yield name, url


def body_of(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


@pytest.fixture
def canary_world(isolated_storage, shop_a_world):  # noqa: F811 — fixture from the tenant test
    """Shop A of the tenant-isolation test (canaries everywhere), its export file on disk."""
    import io
    import zipfile

    from lifecycle.models import DataExport

    export = DataExport.objects.get(shop=shop_a_world)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("products.csv", f"title\n{CANARY} product\n")
    storages["private"].save(export.file_name, io.BytesIO(buffer.getvalue()))
    from tests.documents import png_bytes

    for document in VerificationDocument.objects.filter(shop=shop_a_world):
        storages["private"].save(document.file.name, io.BytesIO(png_bytes()))
    return shop_a_world


@pytest.fixture
def b_world(other_shop):
    from orders.inbox.models import Conversation, Message
    from orders.models import ShippingTemplate, ShippingZone
    from orders.returns.models import ReturnRequest
    from tests.factories import OrderFactory, OrderLineFactory, SKUFactory

    """Shop B with one of everything, none of it mentioning the canary."""
    sku = SKUFactory(
        product__shop=other_shop,
        product__title="Beta mug",
        seller_sku="BETA-1",
        reserved=1,  # the order below holds one
    )
    order = OrderFactory(shop=other_shop, buyer_name="Bob Beta", number="BETA0001")
    line = OrderLineFactory(order=order, title="Beta mug", sku=sku, product=sku.product)
    conversation = Conversation.objects.create(
        shop=other_shop, order=order, buyer_name="Bob Beta", buyer_email="bob@example.com"
    )
    Message.objects.create(
        shop=other_shop, conversation=conversation, from_buyer=True, body="Where is it?"
    )
    ReturnRequest.objects.create(
        shop=other_shop, order=order, line=line, kind="refund_only", reason="Broken"
    )
    template = ShippingTemplate.objects.create(shop=other_shop, name="Beta standard")
    ShippingZone.objects.create(shop=other_shop, template=template, name="West", states=["CA"])
    return other_shop
