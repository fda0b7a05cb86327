"""CSV template, import (upsert by seller SKU, row-level errors, progress) and export."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_scopes import scope

from catalog import csvio
from catalog.models import SKU, ImportJob, Product, StockMovement
from shops.models import ActivityEvent
from tests.factories import CategoryFactory, SKUFactory

pytestmark = pytest.mark.django_db

HEADER = ",".join(csvio.COLUMNS)


def csv_file(rows: list[dict], *, bom=False, encoding="utf-8", header=None, name="products.csv"):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header or csvio.COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    text = out.getvalue()
    raw = ("\ufeff" if bom else "").encode("utf-8") + text.encode(encoding)
    return SimpleUploadedFile(name, raw, content_type="text/csv")


def row(sku, **kw):
    base = {
        "seller_sku": sku,
        "title": f"Product {sku}",
        "price": "10.00",
        "stock": "5",
        "description": "A good long description that passes the listing checks.",
        "category": "mugs",
    }
    base.update(kw)
    return base


def upload(client, shop, file, capture):
    url = reverse("catalog:product_import", kwargs={"shop_slug": shop.slug})
    with capture(execute=True):
        return client.post(url, {"file": file})


def seller_skus(shop) -> set[str]:
    return set(SKU.objects.filter(shop=shop).values_list("seller_sku", flat=True))


@pytest.fixture
def mugs(db):
    return CategoryFactory(name="Mugs", slug="mugs")


def test_template_download_has_the_headers(owner_client, shop):
    response = owner_client.get(
        reverse("catalog:product_import_template", kwargs={"shop_slug": shop.slug})
    )
    text = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert text.splitlines()[0] == HEADER


@pytest.mark.parametrize("bom", [False, True])
def test_import_creates_products_with_variants_and_upserts(
    owner_client, shop, owner, mugs, bom, django_capture_on_commit_callbacks
):
    with scope(shop=shop):
        existing = SKUFactory(
            product__shop=shop, seller_sku="OLD-1", on_hand=2, price=Decimal("3.00")
        )
        rows = [
            row("NEW-1", size="M"),
            row("NEW-2", parent_sku="NEW-1", size="L", title="", stock="0"),
            row("OLD-1", title="Renamed", price="4.50", stock="9"),
        ]
    response = upload(
        owner_client, shop, csv_file(rows, bom=bom), django_capture_on_commit_callbacks
    )
    with scope(shop=shop):
        job = ImportJob.objects.get(shop=shop)
        assert response.status_code == 302 and response["Location"].endswith(f"/import/{job.pk}/")
        assert (job.status, job.created_count, job.updated_count, job.error_count) == (
            "done",
            2,
            1,
            0,
        )
        assert job.processed_rows == job.total_rows == 3
        new = SKU.objects.get(seller_sku="NEW-1")
        assert new.product.status == Product.Status.DRAFT and new.product.category == mugs
        assert SKU.objects.get(seller_sku="NEW-2").product_id == new.product_id
        existing.refresh_from_db()
        assert (existing.price, existing.on_hand, existing.product.title) == (
            Decimal("4.50"),
            9,
            "Renamed",
        )
        assert StockMovement.objects.get(sku=existing).on_hand_delta == 7
        assert StockMovement.objects.get(sku=new).reason == "import"
        assert ActivityEvent.objects.filter(shop=shop, kind="product_modified").count() == 1
    page = owner_client.get(response["Location"]).content.decode()
    assert "Finished" in page and "100%" in page


def test_progress_endpoint_returns_the_partial_for_htmx(
    owner_client, shop, mugs, django_capture_on_commit_callbacks
):
    upload(owner_client, shop, csv_file([row("A-1")]), django_capture_on_commit_callbacks)
    with scope(shop=shop):
        job = ImportJob.objects.get(shop=shop)
    url = reverse(
        "catalog:product_import_job", kwargs={"shop_slug": shop.slug, "import_job_id": job.pk}
    )
    body = owner_client.get(url, headers={"HX-Request": "true"}).content.decode()
    with scope(shop=shop):
        assert body.lstrip().startswith('<section class="card import-progress"')
    assert 'data-status="done"' in body and "hx-trigger" not in body  # finished: polling stops


def test_a_pending_job_polls(owner_client, shop):
    job = ImportJob.objects.create(shop=shop, filename="x.csv", file="imports/x.csv", total_rows=10)
    url = reverse(
        "catalog:product_import_job", kwargs={"shop_slug": shop.slug, "import_job_id": job.pk}
    )
    body = owner_client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 1s"' in body


def test_bad_rows_are_skipped_whole_and_reported(
    owner_client, shop, mugs, django_capture_on_commit_callbacks
):
    with scope(shop=shop):
        SKUFactory(product__shop=shop, seller_sku="TAKEN", on_hand=5, reserved=4)
        rows = [
            row("OK-1"),
            row("BAD-PRICE", price="-2"),
            row("BAD-TEXT", price="abc"),
            row("BAD-DEC", price="1.999"),
            row("BAD-MIN", price="0.001"),
            row("BAD-STOCK", stock="-1"),
            row("BAD-COMPARE", compare_at_price="5.00"),
            row("OK-1"),  # duplicate in the file
            row("TAKEN", stock="2"),  # below reserved
            row("BAD-CAT", category="nope"),
            row("ORPHAN", parent_sku="MISSING", title=""),
            row("BAD-STOCK2", stock="many", price="-1"),
        ]
    upload(owner_client, shop, csv_file(rows), django_capture_on_commit_callbacks)
    with scope(shop=shop):
        job = ImportJob.objects.get(shop=shop)
        assert (job.created_count, job.error_count) == (1, 11)
        assert seller_skus(shop) == {"OK-1", "TAKEN"}
    by_row = {(e["row"], e["column"]): e["message"] for e in job.errors}
    assert "below the minimum of 0.01" in by_row[(3, "price")]
    assert "'abc' is not a number" in by_row[(4, "price")]
    assert "more than 2 decimal places" in by_row[(5, "price")]
    assert "cannot be negative" in by_row[(7, "stock")]
    assert "must be higher than the price" in by_row[(8, "compare_at_price")]
    assert "appears twice in this file (first in row 2)" in by_row[(9, "seller_sku")]
    assert "below the 4 units reserved" in by_row[(10, "stock")]
    assert "'nope' is not a category" in by_row[(11, "category")]
    assert "MISSING is not a seller SKU" in by_row[(12, "parent_sku")]
    assert {(13, "stock"), (13, "price")} <= set(by_row)  # every problem of a row is reported
    report = owner_client.get(
        reverse(
            "catalog:product_import_errors",
            kwargs={"shop_slug": shop.slug, "import_job_id": job.pk},
        )
    )
    lines = b"".join(report.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0] == "row,column,message" and len(lines) == 1 + len(job.errors)


def test_latin1_file_is_refused_with_a_clear_message(
    owner_client, shop, mugs, django_capture_on_commit_callbacks
):
    response = upload(
        owner_client,
        shop,
        csv_file([row("CAFÉ-1", title="Café crème")], encoding="latin-1"),
        django_capture_on_commit_callbacks,
    )
    body = response.content.decode()
    assert "This file is not UTF-8 text" in body and "CSV UTF-8" in body
    assert not ImportJob.objects.exists() and not SKU.objects.exists()


def test_missing_column_is_refused_naming_it(
    owner_client, shop, django_capture_on_commit_callbacks
):
    header = [c for c in csvio.COLUMNS if c != "price"]
    file = csv_file([{k: v for k, v in row("X-1").items() if k != "price"}], header=header)
    body = upload(owner_client, shop, file, django_capture_on_commit_callbacks).content.decode()
    assert "Missing column: price." in body
    assert not ImportJob.objects.exists()


def test_unknown_column_is_refused(owner_client, shop, django_capture_on_commit_callbacks):
    file = SimpleUploadedFile("p.csv", (HEADER + ",prise\nX,,T,,,,,,,1,,1,,,9\n").encode())
    body = upload(owner_client, shop, file, django_capture_on_commit_callbacks).content.decode()
    assert "Unknown column: prise." in body


def test_export_streams_the_filtered_list_and_round_trips(owner_client, shop, mugs):
    keep = SKUFactory(
        product__shop=shop, product__title="Blue mug", seller_sku="MUG-1", attributes={"size": "L"}
    )
    SKUFactory(product=keep.product, seller_sku="MUG-2")
    SKUFactory(product__shop=shop, product__title="Lamp", seller_sku="LAMP-1")
    url = reverse("catalog:product_export", kwargs={"shop_slug": shop.slug}) + "?q=mug"
    response = owner_client.get(url)
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["seller_sku"] for r in rows] == ["MUG-1", "MUG-2"]
    assert rows[1]["parent_sku"] == "MUG-1" and rows[0]["size"] == "L"


def test_an_exported_title_that_looks_like_a_formula_imports_back_unchanged(
    owner_client, shop, mugs, django_capture_on_commit_callbacks
):
    sku = SKUFactory(product__shop=shop, product__title="-50% mug", seller_sku="MUG-9")
    url = reverse("catalog:product_export", kwargs={"shop_slug": shop.slug})
    exported = b"".join(owner_client.get(url).streaming_content)
    (row_out,) = csv.DictReader(io.StringIO(exported.decode("utf-8-sig")))
    assert row_out["title"] == "'-50% mug"  # a spreadsheet shows it as text

    file = SimpleUploadedFile("back.csv", exported, content_type="text/csv")
    upload(owner_client, shop, file, django_capture_on_commit_callbacks)
    with scope(shop=shop):
        job = ImportJob.objects.get()
    assert (job.status, job.updated_count, job.error_count) == ("done", 1, 0), job.errors
    sku.product.refresh_from_db()
    assert sku.product.title == "-50% mug"


def test_a_chunk_the_database_refuses_is_replayed_row_by_row(
    owner_client, shop, mugs, monkeypatch, django_capture_on_commit_callbacks
):
    from django.db import DatabaseError

    from catalog.services.imports import jobs

    real_write = jobs.write_plans

    def flaky_write(**kwargs):
        plans = kwargs["plans"]
        if len(plans) > 1:
            raise DatabaseError("simulated: a SKU changed meanwhile")
        if plans[0].code == "R-2":
            raise DatabaseError("simulated: this row still conflicts")
        return real_write(**kwargs)

    with scope(shop=shop):
        monkeypatch.setattr(jobs, "write_plans", flaky_write)
    upload(
        owner_client,
        shop,
        csv_file([row("R-1"), row("R-2"), row("R-3")]),
        django_capture_on_commit_callbacks,
    )
    with scope(shop=shop):
        job = ImportJob.objects.get(shop=shop)
        assert (job.created_count, job.error_count) == (2, 1)
        assert seller_skus(shop) == {"R-1", "R-3"}
        assert not Product.objects.filter(
            shop=shop, skus__isnull=True
        ).exists()  # nothing half-saved
    assert job.errors == [
        {
            "row": 3,
            "column": "seller_sku",
            "message": "could not be saved (the SKU changed meanwhile); try this row again.",
        }
    ]


def test_home_low_stock_tile_shows_an_import_at_once(
    owner_client, shop, mugs, django_capture_on_commit_callbacks
):
    from sellercenter.dashboard import home_tiles

    def low_stock():
        with scope(shop=shop):
            return next(t for t in home_tiles(shop=shop) if t.key == "low_stock")

    with scope(shop=shop):
        SKUFactory(product__shop=shop, seller_sku="OLD-1", on_hand=50)
        assert (low_stock().value, low_stock().hint) == ("0", "0 out of stock")  # now cached
        rows = [row("OLD-1", stock="2"), row("NEW-1", stock="0")]
    upload(owner_client, shop, csv_file(rows), django_capture_on_commit_callbacks)
    with scope(shop=shop):
        assert ImportJob.objects.get(shop=shop).status == "done"
        assert (low_stock().value, low_stock().hint) == ("1", "1 out of stock")
