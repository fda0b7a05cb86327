"""CSV import: upsert products and variants by seller SKU, in a Celery task, with progress.

The upload is checked at once (UTF-8, headers) so the seller is told immediately; rows are
then validated and written by ``import_job_run`` in chunks. Each chunk validates every row in
Python first and writes only valid rows, in one transaction with bulk statements; should the
database still refuse the chunk (a concurrent edit took a seller SKU), the chunk is replayed row
by row, each in its own savepoint. Either way a row is saved whole or not at all.
"""

import copy
import json
import uuid
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import DatabaseError, connection, transaction
from django.db.models.functions import Lower
from django.utils import timezone

from catalog import csvio
from catalog.models import SKU, Category, ImportJob, Product, StockMovement
from catalog.services.alerts import inventory_figure_forget
from catalog.services.products.status import product_counts_forget
from catalog.services.stock import OutOfStock, StockChange, stock_move_many
from catalog.tasks import import_job_run_task
from common.policy import POLICY
from shops import activity
from shops.models import Shop

CHUNK = 500
MAX_PRICE = Decimal("9999999999.99")


def import_job_create(*, shop: Shop, actor, upload) -> ImportJob:
    """Check the file now (size, encoding, headers), store it privately, queue the import."""
    if upload.size > POLICY.csv_import_max_bytes:
        raise ValidationError(
            f"The file is {upload.size / 1024 / 1024:.1f} MB; imports can be at most "
            f"{POLICY.csv_import_max_bytes // (1024 * 1024)} MB. Split it into smaller files."
        )
    raw = upload.read()
    text = csvio.decode_upload(raw)
    _, rows = csvio.check_header(text)
    if rows > POLICY.csv_import_max_rows:
        raise ValidationError(
            f"The file has {rows} rows; an import can have at most {POLICY.csv_import_max_rows}."
        )
    path = storages["private"].save(
        f"imports/{shop.pk}/{uuid.uuid4().hex}.csv", ContentFile(text.encode("utf-8"))
    )
    with transaction.atomic():
        job = ImportJob.objects.create(
            shop=shop,
            actor=actor if getattr(actor, "pk", None) else None,
            filename=(upload.name or "import.csv")[:255],
            file=path,
            total_rows=rows,
        )
        import_job_run_task.delay_on_commit(shop_id=shop.pk, job_id=job.pk)
    return job


def import_job_run(*, shop: Shop, job_id: int) -> ImportJob:
    """Run (or finish) one import. Idempotent: a job that already started is left alone."""
    claimed = ImportJob.objects.filter(
        shop=shop, pk=job_id, status=ImportJob.Status.PENDING
    ).update(status=ImportJob.Status.RUNNING, started_at=timezone.now())
    job = ImportJob.objects.get(shop=shop, pk=job_id)
    if not claimed:
        return job
    try:
        text = storages["private"].open(job.file).read().decode("utf-8")
        state = _State(categories=_category_lookup())
        chunk: list = []
        for number, row in csvio.iter_rows(text):
            chunk.append((number, row))
            if len(chunk) >= CHUNK:
                _chunk_run(shop=shop, job=job, rows=chunk, state=state)
                chunk = []
        if chunk:
            _chunk_run(shop=shop, job=job, rows=chunk, state=state)
    except Exception:
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.FAILED,
            finished_at=timezone.now(),
            message="The import stopped unexpectedly; rows reported as processed were saved.",
        )
        raise
    job.status, job.finished_at = ImportJob.Status.DONE, timezone.now()
    job.save(update_fields=["status", "finished_at"])
    inventory_figure_forget(shop)  # the seller sees the imported stock on Home at once
    if job.created_count or job.updated_count:
        activity.record(shop=shop, kind=activity.Kind.PRODUCT_MODIFIED, actor=job.actor)
    return job


# --- rows -------------------------------------------------------------------------------------


@dataclass
class _State:
    categories: dict[str, int]
    # seller SKU (lower-case) → (row number, product id or None while unsaved) for this file
    seen: dict[str, int] = field(default_factory=dict)
    product_of: dict[str, int] = field(default_factory=dict)
    failed: set[str] = field(default_factory=set)


@dataclass
class _Plan:
    number: int
    code: str
    sku: SKU | None
    parent: str  # lower-case seller SKU of the parent, for a new variant of another product
    product_fields: dict
    sku_fields: dict
    stock: int | None


def _category_lookup() -> dict[str, int]:
    lookup = {}
    for pk, slug, name in Category.objects.values_list("pk", "slug", Lower("name")):
        lookup[slug.lower()] = pk
        lookup.setdefault(name, pk)
    return lookup


def _chunk_run(*, shop: Shop, job: ImportJob, rows: list, state: _State) -> None:
    # Seller SKUs match exactly (as the unique constraint does), so the lookup uses its index.
    codes = {row.get("seller_sku", "") for _, row in rows}
    codes |= {row.get("parent_sku", "") for _, row in rows}
    codes.discard("")
    existing = {
        s.seller_sku: s
        for s in SKU.objects.filter(shop=shop, seller_sku__in=codes).select_related("product")
    }
    errors, plans = [], []
    for number, row in rows:
        plan, row_errors = _plan_row(number, row, existing, state)
        if row_errors:
            errors.extend(row_errors)
            if plan_code := row.get("seller_sku", ""):
                state.failed.add(plan_code)
        else:
            plans.append(plan)
    created = updated = 0
    try:
        with transaction.atomic():
            created, updated = _write(shop=shop, actor=job.actor, job=job, plans=plans, state=state)
    except DatabaseError:
        for plan in plans:  # replay row by row: each row whole or not at all
            try:
                with transaction.atomic():
                    c, u = _write(shop=shop, actor=job.actor, job=job, plans=[plan], state=state)
                created, updated = created + c, updated + u
            except DatabaseError:
                state.failed.add(plan.code)
                errors.append(
                    _err(
                        plan.number,
                        "seller_sku",
                        "could not be saved (the SKU changed meanwhile); try this row again.",
                    )
                )
    job.processed_rows += len(rows)
    job.created_count += created
    job.updated_count += updated
    job.error_count += len({e["row"] for e in errors})
    job.errors = job.errors + errors
    ImportJob.objects.filter(pk=job.pk).update(
        processed_rows=job.processed_rows,
        created_count=job.created_count,
        updated_count=job.updated_count,
        error_count=job.error_count,
        errors=job.errors,
    )


def _err(row: int, column: str, message: str) -> dict:
    return {"row": row, "column": column, "message": message}


def _plan_row(number: int, row: dict, existing: dict, state: _State):
    errors = []
    code = row.get("seller_sku", "")
    key = code
    if not code:
        return None, [_err(number, "seller_sku", "is required.")]
    if len(code) > 64:
        errors.append(_err(number, "seller_sku", "is longer than 64 characters."))
    if key in state.seen:
        return None, [
            _err(
                number,
                "seller_sku",
                f"{code} appears twice in this file (first in row {state.seen[key]}).",
            )
        ]
    state.seen[key] = number
    sku = existing.get(key)
    if sku is not None and sku.product.status == Product.Status.DELETED:
        errors.append(
            _err(number, "seller_sku", f"{code} belongs to a deleted product; recover it first.")
        )
    is_new = sku is None

    product_fields: dict = {}
    title = row.get("title", "")
    if title:
        if len(title) > 255:
            errors.append(_err(number, "title", "is longer than 255 characters."))
        product_fields["title"] = title
    elif is_new and not row.get("parent_sku"):
        errors.append(_err(number, "title", "is required for a new product."))
    for name, limit in (("brand", 100), ("keywords", 255)):
        if row.get(name):
            if len(row[name]) > limit:
                errors.append(_err(number, name, f"is longer than {limit} characters."))
            product_fields[name] = row[name]
    if row.get("description"):
        product_fields["description"] = row["description"]
    if row.get("category"):
        category_id = state.categories.get(row["category"].lower())
        if category_id is None:
            errors.append(
                _err(
                    number,
                    "category",
                    f"'{row['category']}' is not a category; use a category slug or name.",
                )
            )
        product_fields["category_id"] = category_id
    weight = _int(row, "weight_grams", number, errors)
    if weight is not None:
        product_fields["weight_grams"] = weight

    sku_fields: dict = {}
    price = _money(row, "price", number, errors)
    if price is not None:
        sku_fields["price"] = price
    elif is_new and not row.get("price"):
        errors.append(_err(number, "price", "is required for a new variant."))
    compare_at = _money(row, "compare_at_price", number, errors)
    if compare_at is not None:
        effective = price if price is not None else (sku.price if sku else None)
        if effective is not None and compare_at <= effective:
            errors.append(
                _err(
                    number,
                    "compare_at_price",
                    f"{compare_at} must be higher than the price {effective}.",
                )
            )
        sku_fields["compare_at_price"] = compare_at
    elif (
        price is not None
        and sku is not None
        and sku.compare_at_price is not None
        and sku.compare_at_price <= price
    ):
        errors.append(
            _err(
                number,
                "price",
                f"{price} is not below the compare-at price {sku.compare_at_price}; change or clear compare_at_price too.",
            )
        )
    threshold = _int(row, "low_stock_threshold", number, errors)
    if threshold is not None:
        sku_fields["low_stock_threshold"] = threshold
    attributes = dict(sku.attributes) if sku else {}
    for name in ("size", "colour"):
        if row.get(name):
            attributes[name] = row[name][:50]
    sku_fields["attributes"] = attributes
    stock = _int(row, "stock", number, errors)
    if stock is None and is_new and not row.get("stock"):
        stock = 0
    if stock is not None and sku is not None and stock < sku.reserved:
        errors.append(
            _err(
                number,
                "stock",
                f"{stock} is below the {sku.reserved} units reserved for open orders.",
            )
        )

    parent = ""
    if is_new and row.get("parent_sku"):
        parent = row["parent_sku"]
        if parent == key:
            parent = ""
        elif parent in state.failed:
            errors.append(
                _err(
                    number,
                    "parent_sku",
                    f"{row['parent_sku']} has errors in this file, so this variant was not added.",
                )
            )
        elif parent not in existing and parent not in state.seen:
            errors.append(
                _err(
                    number,
                    "parent_sku",
                    f"{row['parent_sku']} is not a seller SKU in your shop or earlier in this file.",
                )
            )
    if errors:
        return None, errors
    return _Plan(number, code, sku, parent, product_fields, sku_fields, stock), []


def _money(row, column, number, errors) -> Decimal | None:
    value = row.get(column, "").replace("$", "").replace(",", "")
    if not value:
        return None
    try:
        amount = Decimal(value)
    except InvalidOperation:
        errors.append(_err(number, column, f"'{row[column]}' is not a number."))
        return None
    if not amount.is_finite():
        errors.append(_err(number, column, f"'{row[column]}' is not a number."))
        return None
    if amount.as_tuple().exponent < -2:
        errors.append(_err(number, column, f"{value} has more than 2 decimal places."))
        return None
    if amount < Decimal("0.01"):
        errors.append(_err(number, column, f"{value} is below the minimum of 0.01."))
        return None
    if amount > MAX_PRICE:
        errors.append(_err(number, column, f"{value} is too large."))
        return None
    return amount


def _int(row, column, number, errors) -> int | None:
    value = row.get(column, "")
    if not value:
        return None
    try:
        amount = int(value)
    except ValueError:
        errors.append(_err(number, column, f"'{value}' is not a whole number."))
        return None
    if amount < 0:
        errors.append(_err(number, column, f"{value} cannot be negative."))
        return None
    if amount > 2_000_000_000:
        errors.append(_err(number, column, f"{value} is too large."))
        return None
    return amount


def _write(*, shop: Shop, actor, job: ImportJob, plans: list[_Plan], state: _State):
    """Write validated rows with bulk statements; returns (created, updated)."""
    now = timezone.now()
    reference = f"import #{job.pk}"
    # Rows were validated against SKUs read before this transaction: lock them and make sure
    # nobody (an inline edit, a shipment) changed them since, or replay row by row.
    seen_versions = {p.sku.pk: p.sku.version for p in plans if p.sku is not None}
    if seen_versions:
        current = dict(
            SKU.objects.select_for_update()
            .filter(shop=shop, pk__in=list(seen_versions))
            .values_list("pk", "version")
        )
        if current != seen_versions:
            raise DatabaseError("a SKU changed while the import ran")
    new_products: dict[str, Product] = {}
    for plan in plans:
        if plan.sku is None and not plan.parent:
            fields = {"title": "", **plan.product_fields}
            new_products[plan.code] = Product(
                shop=shop, status=Product.Status.DRAFT, created_at=now, updated_at=now, **fields
            )
    Product.objects.bulk_create(list(new_products.values()))
    if new_products:
        product_counts_forget(shop)
    product_of = dict(state.product_of)
    product_of.update({code: p.pk for code, p in new_products.items()})

    changed_products: dict[int, Product] = {}
    dirty_products: set[int] = set()  # own fields changed
    touched_products: set[int] = set()  # a variant changed
    matched = 0
    new_skus, changed_skus, stock_changes = [], [], []
    for plan in plans:
        key = plan.code
        if plan.sku is not None:
            # Copies: a failed attempt must not leave its edits on the plan for the replay.
            sku = copy.copy(plan.sku)
            product = changed_products.setdefault(sku.product_id, copy.copy(plan.sku.product))
            for name, value in plan.product_fields.items():
                if getattr(product, name) != value:
                    setattr(product, name, value)
                    dirty_products.add(product.pk)
            sku_dirty = False
            for name, value in plan.sku_fields.items():
                if getattr(sku, name) != value:
                    setattr(sku, name, value)
                    sku_dirty = True
            if plan.stock is not None and plan.stock != sku.on_hand:
                stock_changes.append(StockChange(sku.pk, on_hand=plan.stock - sku.on_hand))
                touched_products.add(sku.product_id)
            if sku_dirty:
                sku.version += 1  # (a stock change bumps it in the stock writer)
                changed_skus.append(sku)
                touched_products.add(sku.product_id)
            matched += 1
            product_of[key] = sku.product_id
            continue
        if plan.parent:
            parent_product = product_of.get(plan.parent)
            if parent_product is None:
                parent_sku = SKU.objects.filter(shop=shop, seller_sku=plan.parent).first()
                parent_product = parent_sku.product_id if parent_sku else None
            if parent_product is None:
                raise DatabaseError(f"parent {plan.parent} vanished")
            product_id = parent_product
        else:
            product_id = new_products[key].pk
        product_of[key] = product_id
        new_skus.append(
            (SKU(shop=shop, product_id=product_id, seller_sku=plan.code, **plan.sku_fields), plan)
        )
    SKU.objects.bulk_create([sku for sku, _ in new_skus])
    stock_changes += [StockChange(sku.pk, on_hand=plan.stock or 0) for sku, plan in new_skus]
    # One set-based UPDATE per table and chunk (UPDATE … FROM a VALUES list), not one per row.
    _update_from_values(
        SKU,
        [
            (
                sku.pk,
                sku.price,
                sku.compare_at_price,
                sku.low_stock_threshold,
                json.dumps(sku.attributes),
                sku.version,
            )
            for sku in changed_skus
        ],
        [
            ("price", "numeric"),
            ("compare_at_price", "numeric"),
            ("low_stock_threshold", "integer"),
            ("attributes", "jsonb"),
            ("version", "integer"),
        ],
    )
    product_columns = [
        ("title", "text"),
        ("description", "text"),
        ("category_id", "bigint"),
        ("brand", "text"),
        ("keywords", "text"),
        ("weight_grams", "integer"),
    ]
    _update_from_values(
        Product,
        [
            (pk, *(getattr(changed_products[pk], name) for name, _ in product_columns))
            for pk in dirty_products
        ],
        product_columns,
    )
    if touched_products | dirty_products:
        Product.objects.filter(pk__in=touched_products | dirty_products).update(updated_at=now)
    try:
        stock_move_many(
            shop=shop,
            changes=stock_changes,
            reason=StockMovement.Reason.IMPORT,
            reference=reference,
            actor=actor,
        )
    except OutOfStock as short:  # reserved by an order since the row was checked: replay it
        raise DatabaseError(f"SKU {short.sku_id} has more units reserved now") from short
    state.product_of.update(product_of)
    # An unchanged row counts as updated too (it was matched and is as the file says).
    return len(new_skus), matched


def _update_from_values(model, rows: list[tuple], columns: list[tuple[str, str]]) -> None:
    """UPDATE <table> SET col = v.col … FROM (VALUES …) v WHERE id = v.id, for SQLite and PG.

    ``rows`` are (id, *values) in the order of ``columns`` ((name, PostgreSQL type) pairs).
    """
    if not rows:
        return
    table = model._meta.db_table
    pg = connection.vendor == "postgresql"
    names = ["id", *(name for name, _ in columns)]
    row_sql = "(" + ", ".join(["%s"] * len(names)) + ")"
    sets = ", ".join(
        f"{name} = v.{name}" + (f"::{pgtype}" if pg else "") for name, pgtype in columns
    )
    id_cast = "::bigint" if pg else ""
    # Identifiers come from model metadata and the constant column lists; values are parameters.
    values = ", ".join([row_sql] * len(rows))
    sql = f"WITH v({', '.join(names)}) AS (VALUES {values}) "
    sql += f"UPDATE {table} SET {sets} FROM v WHERE {table}.id = v.id{id_cast}"  # noqa: S608
    params = [value for row in rows for value in row]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
