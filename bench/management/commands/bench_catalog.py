"""Catalog benchmarks (not tests): CSV import speed and the product list at 100,000 products.

    manage.py bench_catalog                       # 10,000-row import + list timings at 100,000
    manage.py bench_catalog --import-rows 10000 --list-products 0

Runs against the configured database in a throwaway shop that is deleted afterwards.
"""

import csv
import io
import time
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext
from django_scopes import scope, scopes_disabled

from catalog import csvio
from catalog.models import SKU, Category, ImportJob, Product
from catalog.selectors import ProductFilter, product_page, product_status_counts
from catalog.services.imports.jobs import import_job_create, import_job_run
from shops.models import Shop


class Command(BaseCommand):
    help = "Time a CSV import and the product list on a large shop."

    def add_arguments(self, parser):
        parser.add_argument("--import-rows", type=int, default=10_000)
        parser.add_argument("--list-products", type=int, default=100_000)

    def handle(self, *args, import_rows, list_products, **options):
        with scopes_disabled():
            category, _ = Category.objects.get_or_create(slug="bench", defaults={"name": "Bench"})
            shop = Shop.objects.create(
                name="Bench shop",
                slug=f"bench-{int(time.time())}",
                status=Shop.Status.ACTIVE,
                on_probation=False,
            )
        try:
            with scope(shop=shop):
                if import_rows:
                    self._bench_import(shop, import_rows)
                if list_products:
                    self._bench_list(shop, list_products, category)
        finally:
            with scopes_disabled():
                shop.delete()

    def _bench_import(self, shop, rows):
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=csvio.COLUMNS, lineterminator="\n")
        writer.writeheader()
        for i in range(rows):
            writer.writerow(
                {
                    "seller_sku": f"B-{i:06d}",
                    "parent_sku": f"B-{i - 1:06d}" if i % 3 == 2 else "",
                    "title": f"Bench product {i}",
                    "description": "A benchmark product with a description long enough to list.",
                    "category": "bench",
                    "brand": "Bench",
                    "size": ["S", "M", "L"][i % 3],
                    "price": f"{5 + i % 50}.99",
                    "stock": str(i % 40),
                }
            )
        elapsed, job = _timed_import(shop, "bench.csv", out.getvalue())
        self.stdout.write(
            f"import: {rows:,} rows in {elapsed:.1f} s ({rows / elapsed:,.0f} rows/s) on "
            f"{connection.vendor}; created {job.created_count:,}, updated {job.updated_count:,}, "
            f"errors {job.error_count}"
        )
        # Second run = every row an update: new price and stock on every variant.
        text = out.getvalue().replace(".99,", ".49,")
        text = "\n".join(
            line[: line.rfind(",")] + ",7" if n else line
            for n, line in enumerate(text.splitlines())
        )
        elapsed, job = _timed_import(shop, "bench2.csv", text)
        self.stdout.write(
            f"re-import (price and stock changed on every row): {rows:,} rows in {elapsed:.1f} s; "
            f"updated {job.updated_count:,}, errors {job.error_count}"
        )
        ImportJob.objects.filter(shop=shop).delete()

    def _bench_list(self, shop, n, category):
        have = Product.objects.filter(shop=shop).count()
        batch = 5000
        for start in range(have, n, batch):
            size = min(batch, n - start)
            products = Product.objects.bulk_create(
                Product(
                    shop=shop,
                    title=f"List product {start + i:06d}",
                    category=category,
                    status=["live", "live", "draft", "issues", "deactivated"][(start + i) % 5],
                )
                for i in range(size)
            )
            SKU.objects.bulk_create(
                SKU(
                    shop=shop,
                    product=p,
                    seller_sku=f"L-{start + i:06d}",
                    price=Decimal("9.99"),
                    on_hand=(start + i) % 12,
                )
                for i, p in enumerate(products)
            )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE catalog_product; ANALYZE catalog_sku;")
        cases = {
            "first page (all)": ProductFilter(),
            "live tab": ProductFilter(status="live"),
            "title sort": ProductFilter(sort="title"),
            "search 'product 0999'": ProductFilter(q="product 0999"),
            "low stock filter": ProductFilter(stock="low"),
            "category filter": ProductFilter(category_id=category.pk),
        }
        for label, flt in cases.items():
            page = product_page(shop=shop, flt=flt)  # warm
            timings = []
            for _ in range(5):
                started = time.perf_counter()
                page = product_page(shop=shop, flt=flt)
                if page.next_cursor:
                    product_page(shop=shop, flt=flt, after=page.next_cursor)
                timings.append((time.perf_counter() - started) / 2)
            self.stdout.write(
                f"list {label}: {min(timings) * 1000:.1f} ms per page at {n:,} products"
            )
        from catalog.selectors import product_queryset
        from catalog.services.bulk import product_bulk_action

        for action, flt, value in (
            ("set_price", ProductFilter(), "8.49"),
            ("deactivate", ProductFilter(status="live"), ""),
        ):
            ids = list(product_queryset(shop=shop, flt=flt).values_list("pk", flat=True))
            started = time.perf_counter()
            result = product_bulk_action(
                shop=shop, actor=None, action=action, product_ids=ids, value=value
            )
            elapsed = time.perf_counter() - started
            self.stdout.write(
                f"bulk {action} on {len(ids):,} products: {elapsed:.1f} s ({result.summary()})"
            )
        reset_queries()
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            product_status_counts(shop=shop)
            elapsed = time.perf_counter() - started
        self.stdout.write(
            f"status tab counts: {elapsed * 1000:.2f} ms, {len(ctx.captured_queries)} query "
            "(trigger-kept counters)"
        )


def _timed_import(shop, name: str, text: str):
    """Create and run one import job inline (the timing is the import, not the broker)."""
    from unittest import mock

    upload = SimpleUploadedFile(name, text.encode(), content_type="text/csv")
    started = time.perf_counter()
    with mock.patch("catalog.tasks.import_job_run_task.delay"):
        job = import_job_create(shop=shop, actor=None, upload=upload)
    job = import_job_run(shop=shop, job_id=job.pk)
    elapsed = time.perf_counter() - started
    job.refresh_from_db()
    return elapsed, job
