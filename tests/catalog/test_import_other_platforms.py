"""Shopify and WooCommerce product exports import through the one pipeline: multi-variant
products, rows without a SKU and bad prices reported on the seller's own row numbers, HTML
descriptions sanitised with nh3, and a second import updates instead of duplicating."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scope

from catalog import importformats
from catalog.models import SKU, ImportJob, Product
from catalog.services.imports.jobs import import_job_create

pytestmark = pytest.mark.django_db
SAMPLES = Path(__file__).parent / "samples"


def run_import(shop, owner, name, capture):
    raw = (SAMPLES / name).read_bytes()
    with scope(shop=shop), capture(execute=True):
        job = import_job_create(
            shop=shop, actor=owner, upload=SimpleUploadedFile(name, raw, content_type="text/csv")
        )
    with scope(shop=shop):
        return ImportJob.objects.get(pk=job.pk)


def errors_by_row(job):
    return {(e["row"], e["column"]) for e in job.errors}


def test_shopify_export_imports_variants_and_reports_bad_rows(
    shop, owner, django_capture_on_commit_callbacks
):
    job = run_import(shop, owner, "shopify_products.csv", django_capture_on_commit_callbacks)
    assert job.status == "done", job.errors
    # Row 4: a variant with no SKU; row 6: a price of "twelve". Rows 5 (image only) is skipped.
    assert errors_by_row(job) == {(4, "seller_sku"), (6, "price")}
    assert (job.created_count, job.error_count) == (3, 2)
    with scope(shop=shop):
        small = SKU.objects.select_related("product").get(seller_sku="LIN-S-SAND")
        medium = SKU.objects.get(seller_sku="LIN-M-SAND")
        assert medium.product_id == small.product_id
        assert medium.attributes == {"size": "M", "colour": "Sand"}
        product = small.product
        assert product.title == "Linen shirt" and product.brand == "Harbor Supply"
        assert (small.price, small.compare_at_price, small.on_hand) == (
            Decimal("48.00"), Decimal("60.00"), 12,
        )  # fmt: skip
        assert "<" not in product.description and "alert" not in product.description
        assert product.description.startswith("Breathable linen shirt for warm days.")
        assert "Relaxed fit & mother-of-pearl buttons." in product.description
        assert SKU.objects.filter(seller_sku="BASKET-1").exists()
    again = run_import(shop, owner, "shopify_products.csv", django_capture_on_commit_callbacks)
    assert (again.created_count, again.updated_count) == (0, 3)
    with scope(shop=shop):
        assert Product.objects.count() == 2


def test_woocommerce_export_imports_variations_under_their_parent(
    shop, owner, django_capture_on_commit_callbacks
):
    job = run_import(shop, owner, "woocommerce_products.csv", django_capture_on_commit_callbacks)
    assert job.status == "done", job.errors
    # Row 6: a simple product without SKU; row 7: a negative price.
    assert errors_by_row(job) == {(6, "seller_sku"), (7, "price")}
    with scope(shop=shop):
        s = SKU.objects.select_related("product").get(seller_sku="HOODIE-S")
        m = SKU.objects.get(seller_sku="HOODIE-M")
        assert m.product_id == s.product_id and s.product.title == "Fleece hoodie"
        assert (m.price, m.compare_at_price) == (Decimal("45"), Decimal("55"))
        assert s.product.description == "Brushed fleece hoodie."
        socks = SKU.objects.select_related("product").get(seller_sku="SOCKS-1")
        assert socks.product.title == "Wool socks" and socks.on_hand == 40
    again = run_import(shop, owner, "woocommerce_products.csv", django_capture_on_commit_callbacks)
    assert again.created_count == 0 and again.updated_count == 3


def test_the_mapping_preview_names_products_variants_and_images():
    text = (SAMPLES / "shopify_products.csv").read_text()
    preview = importformats.preview(text)
    assert preview.source == "Shopify" and preview.skipped_rows == 1
    linen = preview.products[0]
    assert linen["title"] == "Linen shirt"
    assert linen["variants"] == ["LIN-S-SAND", "LIN-M-SAND", "(no SKU)"]
    assert linen["images"] == 3
    woo = importformats.preview((SAMPLES / "woocommerce_products.csv").read_text())
    assert woo.source == "WooCommerce"
    assert woo.products[0]["title"] == "Fleece hoodie"
    assert woo.products[0]["variants"] == ["HOODIE-S", "HOODIE-M"]


def test_our_own_format_is_left_alone():
    text = "seller_sku,title,price,stock\nA,T,1,1\n"
    assert importformats.to_native(text) == (text, "")


def test_the_import_page_shows_the_preview_then_imports_on_confirmation(
    client, shop, owner, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    client.force_login(owner)
    url = reverse("catalog:product_import", kwargs={"shop_slug": shop.slug})
    raw = (SAMPLES / "woocommerce_products.csv").read_bytes()
    page = client.post(url, {"file": SimpleUploadedFile("woo.csv", raw, content_type="text/csv")})
    assert page.status_code == 200
    body = page.content.decode()
    assert "Check the import from WooCommerce" in body and "HOODIE-S, HOODIE-M" in body
    with scope(shop=shop):
        assert not ImportJob.objects.exists() and not SKU.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(url, {"staged": page.context["ticket"]})
    assert confirmed.status_code == 302
    with scope(shop=shop):
        assert ImportJob.objects.get().created_count == 3
    tampered = client.post(url, {"staged": page.context["ticket"] + "x"})
    assert tampered.status_code == 200 and "expired" in tampered.content.decode()
