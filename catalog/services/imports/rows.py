"""One CSV row checked in Python: what it would create or update (a plan), or its errors."""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from catalog.models import SKU, Product

MAX_PRICE = Decimal("9999999999.99")


@dataclass
class ImportState:
    categories: dict[str, int]
    # seller SKU (lower-case) → (row number, product id or None while unsaved) for this file
    seen: dict[str, int] = field(default_factory=dict)
    product_of: dict[str, int] = field(default_factory=dict)
    failed: set[str] = field(default_factory=set)


@dataclass
class RowPlan:
    number: int
    code: str
    sku: SKU | None
    parent: str  # lower-case seller SKU of the parent, for a new variant of another product
    product_fields: dict
    sku_fields: dict
    stock: int | None


def row_error(row: int, column: str, message: str) -> dict:
    return {"row": row, "column": column, "message": message}


def plan_row(number: int, row: dict, existing: dict, state: ImportState):
    errors = []
    code = row.get("seller_sku", "")
    key = code
    if not code:
        return None, [row_error(number, "seller_sku", "is required.")]
    if len(code) > 64:
        errors.append(row_error(number, "seller_sku", "is longer than 64 characters."))
    if key in state.seen:
        return None, [
            row_error(
                number,
                "seller_sku",
                f"{code} appears twice in this file (first in row {state.seen[key]}).",
            )
        ]
    state.seen[key] = number
    sku = existing.get(key)
    if sku is not None and sku.product.status == Product.Status.DELETED:
        errors.append(
            row_error(
                number, "seller_sku", f"{code} belongs to a deleted product; recover it first."
            )
        )
    is_new = sku is None

    product_fields: dict = {}
    title = row.get("title", "")
    if title:
        if len(title) > 255:
            errors.append(row_error(number, "title", "is longer than 255 characters."))
        product_fields["title"] = title
    elif is_new and not row.get("parent_sku"):
        errors.append(row_error(number, "title", "is required for a new product."))
    for name, limit in (("brand", 100), ("keywords", 255)):
        if row.get(name):
            if len(row[name]) > limit:
                errors.append(row_error(number, name, f"is longer than {limit} characters."))
            product_fields[name] = row[name]
    if row.get("description"):
        product_fields["description"] = row["description"]
    if row.get("category"):
        category_id = state.categories.get(row["category"].lower())
        if category_id is None:
            errors.append(
                row_error(
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
        errors.append(row_error(number, "price", "is required for a new variant."))
    compare_at = _money(row, "compare_at_price", number, errors)
    if compare_at is not None:
        effective = price if price is not None else (sku.price if sku else None)
        if effective is not None and compare_at <= effective:
            errors.append(
                row_error(
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
            row_error(
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
            row_error(
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
                row_error(
                    number,
                    "parent_sku",
                    f"{row['parent_sku']} has errors in this file, so this variant was not added.",
                )
            )
        elif parent not in existing and parent not in state.seen:
            errors.append(
                row_error(
                    number,
                    "parent_sku",
                    f"{row['parent_sku']} is not a seller SKU in your shop or earlier in this file.",
                )
            )
    if errors:
        return None, errors
    return RowPlan(number, code, sku, parent, product_fields, sku_fields, stock), []


def _money(row, column, number, errors) -> Decimal | None:
    value = row.get(column, "").replace("$", "").replace(",", "")
    if not value:
        return None
    try:
        amount = Decimal(value)
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite():
        problem = f"'{row[column]}' is not a number."
    elif amount.as_tuple().exponent < -2:
        problem = f"{value} has more than 2 decimal places."
    elif amount < Decimal("0.01"):
        problem = f"{value} is below the minimum of 0.01."
    elif amount > MAX_PRICE:
        problem = f"{value} is too large."
    else:
        return amount
    errors.append(row_error(number, column, problem))
    return None


def _int(row, column, number, errors) -> int | None:
    value = row.get(column, "")
    if not value:
        return None
    try:
        amount = int(value)
    except ValueError:
        amount = None
    if amount is None:
        problem = f"'{value}' is not a whole number."
    elif amount < 0:
        problem = f"{value} cannot be negative."
    elif amount > 2_000_000_000:
        problem = f"{value} is too large."
    else:
        return amount
    errors.append(row_error(number, column, problem))
    return None
