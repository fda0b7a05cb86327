"""One hostile value — a buyer name and a product name of ``=HYPERLINK("http://x")`` — through
every CSV a seller can download: orders, products, the import error report, every analytics
report, the finance statement, the marketing exports, the security log and each CSV in the data
export zip (products, orders, order lines, returns, messages). Wherever the value shows, it
shows neutralised (a leading quote), and no other cell starts a formula. A product module that
writes CSV without common.csvio fails the last test."""

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from tests.common.test_csv_exports import (
    CSV_DOWNLOADS,
    FORMULA_STARTS,
    is_number,
    parse,
    route_of,
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
def hostile(hostile_shop_holding):
    return hostile_shop_holding(PAYLOAD)


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
