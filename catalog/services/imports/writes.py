"""Writing a chunk's valid rows with bulk statements: products, variants and their stock."""

import copy
import json

from django.db import DatabaseError, connection
from django.utils import timezone

from catalog.models import SKU, ImportJob, Product, StockMovement
from catalog.services.imports.rows import ImportState, RowPlan
from catalog.services.products.status import product_counts_forget
from catalog.services.stock import OutOfStock, StockChange, stock_move_many, stock_start_many
from shops.models import Shop


def write_plans(*, shop: Shop, actor, job: ImportJob, plans: list[RowPlan], state: ImportState):
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
            SKU(
                shop=shop,
                product_id=product_id,
                seller_sku=plan.code,
                on_hand=plan.stock or 0,
                **plan.sku_fields,
            )
        )
    SKU.objects.bulk_create(new_skus)
    stock_start_many(
        shop=shop,
        skus=new_skus,
        reason=StockMovement.Reason.IMPORT,
        reference=reference,
        actor=actor,
    )
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
