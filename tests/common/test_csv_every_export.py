"""One hostile value — a buyer name and a product name of ``=HYPERLINK("http://x")`` — through
every CSV a seller can download: orders, products, the import error report, every analytics
report, the finance statement, the marketing exports, the security log and each CSV in the data
export zip (products, orders, order lines, returns, messages). Wherever the value shows, it
shows neutralised (a leading quote), and no other cell starts a formula. A product module that
writes CSV without common.csvio fails the last test."""

import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from accounts import audit
from catalog.models import ImportJob
from common.clock import day_start, local_date
from lifecycle.models import DataExport
from orders.analytics.services import rollup_rebuild
from orders.finance.models import LedgerEntry
from orders.inbox.models import Conversation, Message
from orders.marketing.models import CampaignProduct
from orders.models import Visit
from orders.returns.models import ReturnRequest
from tests.common.hostile import hostile_shop_data
from tests.common.test_csv_exports import (
    CSV_DOWNLOADS,
    FORMULA_STARTS,
    is_number,
    parse,
    route_of,
)
from tests.factories import (
    CampaignFactory,
    DiscountFactory,
    OrderFactory,
    OrderLineFactory,
    SKUFactory,
)

pytestmark = pytest.mark.django_db
PAYLOAD = '=HYPERLINK("http://x")'
NEUTRALISED = "'" + PAYLOAD

# The downloads whose rows carry the buyer's or the product's name: the payload must show there.
CARRY_A_NAME = {
    "orders:order_export",  # buyer
    "catalog:product_export",  # product
    "catalog:product_import_errors",  # the cell the import refused
    "orders:finance_statement",  # memo
    "orders:analytics_best_sellers",  # product
    "shops:security_log",  # the product named as target
    "marketing:discount_export",  # discount name
    "marketing:campaign_export",  # product
}
ZIP_MEMBERS = {"products.csv", "orders.csv", "order_lines.csv", "returns.csv", "messages.csv"}


@pytest.fixture
def hostile(shop, owner, owner_client, django_capture_on_commit_callbacks, settings, tmp_path):
    return hostile_shop_data(
        text=PAYLOAD,
        shop=shop,
        owner=owner,
        owner_client=owner_client,
        on_commit=django_capture_on_commit_callbacks,
        settings=settings,
        tmp_path=tmp_path,
    )
    today = local_date()
    sku = SKUFactory(product__shop=shop, product__title=PAYLOAD)
    order = OrderFactory(shop=shop, buyer_name=PAYLOAD, placed_at=day_start(today))
    line = OrderLineFactory(order=order, sku=sku, product=sku.product, title=PAYLOAD)
    ReturnRequest.objects.create(shop=shop, order=order, line=line, kind="refund_only",
                                 reason="Other", note=PAYLOAD)  # fmt: skip
    conversation = Conversation.objects.create(
        shop=shop, order=order, buyer_name=PAYLOAD, buyer_email="x@example.com"
    )
    Message.objects.create(shop=shop, conversation=conversation, from_buyer=True, body=PAYLOAD)
    Visit.objects.create(shop=shop, product=sku.product, visitor_key="v", source="live",
                         occurred_at=day_start(today))  # fmt: skip
    rollup_rebuild(start=today - timedelta(days=5), end=today)
    LedgerEntry.objects.create(shop=shop, kind="adjustment", bucket="available",
                               amount=Decimal("-1.00"), memo=PAYLOAD)  # fmt: skip
    DiscountFactory(shop=shop, name=PAYLOAD, products=[sku.product])
    CampaignProduct.objects.create(
        shop=shop, campaign=CampaignFactory(), product=sku.product, campaign_price=Decimal("1")
    )
    audit.record(actor=owner, action="product.edited", shop=shop, target=sku.product,
                 changes={"title": ("old", PAYLOAD)})  # fmt: skip
    job = ImportJob.objects.create(shop=shop, filename="x.csv", file="x.csv",
                                   errors=[{"row": 2, "column": "title", "message": PAYLOAD}])  # fmt: skip
    from orders.marketing.models import LivePin, LiveSession

    held = day_start(today)
    live = LiveSession.objects.create(shop=shop, title=PAYLOAD, starts_at=held, started_at=held)
    LivePin.objects.create(shop=shop, session=live, product=sku.product)
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(reverse("lifecycle:export_list", kwargs={"shop_slug": shop.slug}))
    return {
        "import_job_id": job.pk,
        "data_export_id": DataExport.objects.get(shop=shop).pk,
        "livesession_id": live.pk,
    }


def test_the_payload_is_neutralised_in_every_csv_export(hostile, shop, owner_client):
    missing, unsafe = [], []
    for name, query in CSV_DOWNLOADS:
        kwargs = {"shop_slug": shop.slug}
        kwargs.update({k: v for k, v in hostile.items() if f"<int:{k}>" in route_of(name)})
        if route_of(name).count("<int:") > len(kwargs) - 1:
            continue  # a row this world has not made (a LIVE session): test_csv_exports walks it
        response = owner_client.get(reverse(name, kwargs=kwargs) + (f"?{query}" if query else ""))
        assert response.status_code == 200, name
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if name == "lifecycle:export_download":
            files = dict(zip(sorted(ZIP_MEMBERS), _zip_members_named(body), strict=True))
        else:
            files = {name: body}
        for label, content in files.items():
            cells = [cell for row in parse(content) for cell in row]
            unsafe += [
                (label, c) for c in cells if c.startswith(FORMULA_STARTS) and not is_number(c)
            ]
            shows = any(NEUTRALISED in c for c in cells)
            if (label in CARRY_A_NAME or label in ZIP_MEMBERS) and not shows:
                missing.append(label)
    assert unsafe == []
    assert missing == []


def test_no_product_module_writes_csv_without_the_one_writer():
    """csv.writer / DictWriter and the CSV content type appear only in common.csvio."""
    writer = re.compile(r"csv\.(writer|DictWriter)\(|content_type\s*=\s*[\"']text/csv")
    root = Path(django_settings.BASE_DIR)
    apps = ["common", "accounts", "shops", "catalog", "orders", "lifecycle", "sellercenter"]
    # Files that build an import file in memory from another platform's export (never handed
    # to anyone), and the one writer itself.
    internal = {"common/csvio.py", "catalog/importformats.py", "catalog/services/imports/jobs.py"}
    offenders = [
        str(path.relative_to(root))
        for app in apps
        for path in (root / app).rglob("*.py")
        if "migrations" not in path.parts
        and str(path.relative_to(root)) not in internal
        and writer.search(path.read_text())
    ]
    assert offenders == []


def _zip_members_named(body: bytes) -> list[bytes]:
    import io
    import zipfile

    archive = zipfile.ZipFile(io.BytesIO(body))
    names = sorted(n for n in archive.namelist() if n.endswith(".csv"))
    assert set(names) == ZIP_MEMBERS
    return [archive.read(n) for n in names]
