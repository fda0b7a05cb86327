"""The catalog, as a new seller would do it in the browser."""

import csv
import io

import pytest
from django.urls import reverse
from django_scopes import scope

from catalog.models import SKU, ImportJob, Product
from tests.browser.conftest import screenshot, sign_in
from tests.factories import CategoryFactory, MembershipFactory, ShopFactory, UserFactory
from tests.storage import store_files_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def media_tmp(settings, tmp_path):
    store_files_in(settings, private=tmp_path / "private", media=tmp_path / "media")
    return tmp_path


def write_csv(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_seller_lists_fixes_edits_imports_and_exports(page, password, media_tmp):
    from PIL import Image

    seller = UserFactory(email="nia@seller.test", full_name="Nia Seller")
    shop = ShopFactory(name="Sunny Threads", slug="sunny")
    MembershipFactory(user=seller, shop=shop, role="owner")
    parent = CategoryFactory(name="Apparel", slug="apparel")
    CategoryFactory(name="T-shirts", slug="t-shirts", parent=parent)
    photo = media_tmp / "tee.png"
    Image.new("RGB", (600, 600), (30, 120, 200)).save(photo)

    sign_in(page, seller.email, password)
    page.wait_for_url("**/shops/sunny/")
    page.click("nav.sidenav >> text=Products")
    page.click("text=Add product")

    # 1. A product with two variants and an image, no stock yet.
    page.fill("input[name=title]", "Organic cotton tee")
    page.fill(
        "textarea[name=description]",
        "Soft, heavyweight organic cotton tee. Pre-shrunk, relaxed fit, made in the USA.",
    )
    page.select_option("select[name=category]", label="Apparel › T-shirts")
    page.fill("input[name=brand]", "Sunny Threads")
    page.set_input_files("input[name=images]", str(photo))
    page.click("#add-variant")  # the form starts with one row; a second comes in place (htmx)
    page.wait_for_selector("input[name=variants-1-seller_sku]")
    for i, (code, size) in enumerate([("TEE-M", "M"), ("TEE-L", "L")]):
        page.fill(f"input[name=variants-{i}-seller_sku]", code)
        page.fill(f"input[name=variants-{i}-size]", size)
        page.fill(f"input[name=variants-{i}-colour]", "Blue")
        page.fill(f"input[name=variants-{i}-price]", "24.00")
        page.fill(f"input[name=variants-{i}-on_hand]", "0")
    screenshot(page, "catalog-1-create-form")
    page.click("button[name=publish]")
    page.wait_for_selector("#product-issues")
    assert "Add stock to at least one variant." in page.inner_text("#product-issues")
    assert page.inner_text("#product-status") == "Issues"
    screenshot(page, "catalog-2-issues")

    # It sits under the Issues tab.
    page.click("nav.sidenav >> text=Products")
    page.click("a.tab[data-status=issues]")
    assert "Organic cotton tee" in page.inner_text("table.product-table")
    assert page.locator("img.thumb").count() == 1
    thumb = page.locator("img.thumb").evaluate("img => img.naturalWidth")
    assert thumb > 0, "the generated thumbnail is served"

    # 2. Fix it on the edit page: give a variant stock → it goes live.
    page.click("text=Organic cotton tee")
    page.click("a:has-text('Edit')")
    page.fill("input[name=variants-0-on_hand]", "8")
    page.click("button[name=save]")
    page.wait_for_selector("#product-status:has-text('Live')")
    page.click("nav.sidenav >> text=Products")
    page.click("a.tab[data-status=live]")
    assert "Organic cotton tee" in page.inner_text("table.product-table")
    assert page.inner_text("a.tab[data-status=live] .count") == "1"

    # 3. Inline stock edit from the list.
    page.click("button:has-text('Edit stock & price')")
    with scope(shop=shop):
        sku_l = SKU.objects.get(seller_sku="TEE-L")
    form = page.locator(f"#sku-{sku_l.pk}")
    form.locator("input[name=on_hand]").fill("12")
    form.locator("button").click()
    page.wait_for_selector(f"#sku-{sku_l.pk} .inline-note.ok")
    screenshot(page, "catalog-3-inline-edit")
    sku_l.refresh_from_db()
    assert sku_l.on_hand == 12
    with scope(shop=shop):
        product = Product.objects.get(title="Organic cotton tee")
    # The product's row follows the edit (out-of-band swap): 8 + 12 available, no "out" badge.
    row = page.locator(f"#product-row-{product.pk}")
    assert row.locator("td.num").first.inner_text().startswith("20")
    assert "out" not in row.locator("td.num").first.inner_text()

    # The progress page polls while an import runs (a worker would move it along).
    running = ImportJob.objects.create(
        shop=shop,
        filename="running.csv",
        file="imports/none.csv",
        total_rows=500,
        processed_rows=200,
        status=ImportJob.Status.RUNNING,
    )
    page.goto(
        reverse(
            "catalog:product_import_job", kwargs={"shop_slug": "sunny", "import_job_id": running.pk}
        )
    )
    assert page.locator("#import-progress progress").get_attribute("value") == "40"
    screenshot(page, "catalog-3b-import-running")
    with scope(shop=shop):
        ImportJob.objects.filter(pk=running.pk).update(
            processed_rows=500, created_count=500, status=ImportJob.Status.DONE
        )
    page.wait_for_selector("#import-progress[data-status=done]")
    assert "500 of 500 rows" in page.inner_text("#import-progress")
    running.delete()

    # 4. Import 500 products, watching the progress bar.
    rows = [
        {
            "seller_sku": f"IMP-{i:04d}",
            "parent_sku": "",
            "title": f"Imported mug {i}",
            "description": "Stoneware mug, dishwasher safe, holds 12 oz of coffee.",
            "category": "apparel",
            "price": "12.50",
            "stock": str(i % 7),
        }
        for i in range(500)
    ]
    good = write_csv(media_tmp / "mugs.csv", rows)
    page.click("nav.sidenav >> text=Products")
    page.click("text=Import CSV")
    page.set_input_files("input[name=file]", str(good))
    page.click("button:has-text('Start import')")
    page.wait_for_selector("#import-progress[data-status=done]")
    assert page.locator("#import-progress progress").get_attribute("value") == "100"
    assert "500 of 500 rows" in page.inner_text("#import-progress")
    assert "500 created" in page.inner_text("#import-progress")
    screenshot(page, "catalog-4-import-done")
    with scope(shop=shop):
        assert Product.objects.filter(title__startswith="Imported mug").count() == 500

    # 5. A file with bad rows: the error report downloads.
    bad_rows = [
        dict(rows[0], seller_sku="BAD-1", price="-3"),
        dict(rows[0], seller_sku="OK-1"),
        dict(rows[0], seller_sku="BAD-2", stock="lots"),
    ]
    bad = write_csv(media_tmp / "bad.csv", bad_rows)
    page.goto(reverse("catalog:product_import", kwargs={"shop_slug": "sunny"}))
    page.set_input_files("input[name=file]", str(bad))
    page.click("button:has-text('Start import')")
    page.wait_for_selector("#error-report")
    screenshot(page, "catalog-5-import-errors")
    with page.expect_download() as download_info:
        page.click("#error-report")
    report = open(download_info.value.path(), encoding="utf-8-sig").read()
    assert report.splitlines()[0] == "row,column,message"
    assert "2,price," in report and "4,stock," in report
    with scope(shop=shop):
        assert ImportJob.objects.count() == 2

    # A Latin-1 file is refused in plain words.
    latin = media_tmp / "latin.csv"
    latin.write_bytes("seller_sku,title,price,stock\nCAFÉ,Café,3.00,1\n".encode("latin-1"))
    page.goto(reverse("catalog:product_import", kwargs={"shop_slug": "sunny"}))
    page.set_input_files("input[name=file]", str(latin))
    page.click("button:has-text('Start import')")
    assert "not UTF-8" in page.inner_text("#import-error")

    # 6. Export the (filtered) list.
    page.goto(reverse("catalog:product_list", kwargs={"shop_slug": "sunny"}) + "?q=tee")
    with page.expect_download() as download_info:
        page.click("a:has-text('Export CSV')")
    exported = list(
        csv.DictReader(io.StringIO(open(download_info.value.path(), encoding="utf-8-sig").read()))
    )
    assert [r["seller_sku"] for r in exported] == ["TEE-M", "TEE-L"]
    page.goto(reverse("catalog:product_list", kwargs={"shop_slug": "sunny"}))
    screenshot(page, "catalog-6-list")


def test_bulk_delete_confirms_and_alerts_work_at_phone_width(page, password):
    from catalog.services import stock_move
    from tests.factories import SKUFactory

    seller = UserFactory(email="bo@seller.test")
    shop = ShopFactory(name="Lumen Home", slug="lumen")
    MembershipFactory(user=seller, shop=shop, role="owner")
    skus = [SKUFactory(product__shop=shop, product__title=f"Lamp {i}", on_hand=1) for i in range(3)]
    with scope(shop=shop):
        stock_move(shop=shop, sku_id=skus[0].pk, reserved=1, reason="order")

    sign_in(page, seller.email, password)
    page.wait_for_url("**/shops/lumen/")
    page.goto(reverse("catalog:product_list", kwargs={"shop_slug": "lumen"}))
    page.check(f"input[name=ids][value='{skus[1].product_id}']")
    page.check(f"input[name=ids][value='{skus[2].product_id}']")
    page.select_option("select[name=action]", "delete")
    page.click("button:has-text('Apply to selected')")
    page.wait_for_selector("h1:has-text('Delete 2 products?')")
    screenshot(page, "catalog-7-bulk-confirm")
    page.click("button:has-text('Yes, delete 2')")
    page.wait_for_selector(".toast")
    assert "Delete: 2 products done." in page.inner_text(".toasts")
    assert page.inner_text("a.tab[data-status=all] .count") == "1"

    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(reverse("catalog:product_alerts", kwargs={"shop_slug": "lumen"}))
    assert "Out of stock" in page.inner_text("table")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "catalog-8-alerts-phone")
    page.goto(reverse("catalog:product_list", kwargs={"shop_slug": "lumen"}))
    screenshot(page, "catalog-9-list-phone")
