"""The product CSV format, shared by the template download, the import and the export.

One row per variant (SKU). ``parent_sku`` groups variants: a new row whose parent_sku names
another seller SKU (already in the shop, or earlier in the file) becomes a variant of that
SKU's product; otherwise a new product is created. Export writes the same columns, so an
exported file can be edited and imported back.
"""

import csv
import io
from collections.abc import Iterator

from django.core.exceptions import ValidationError

from catalog.models import SKU, Product
from common.csvio import unquote_cell
from shops.models import Shop

COLUMNS = [
    "seller_sku",
    "parent_sku",
    "title",
    "description",
    "category",
    "brand",
    "keywords",
    "size",
    "colour",
    "price",
    "compare_at_price",
    "stock",
    "low_stock_threshold",
    "weight_grams",
]
REQUIRED_COLUMNS = ["seller_sku", "title", "price", "stock"]
TEMPLATE_EXAMPLE = [
    {
        "seller_sku": "TEE-BLK-M",
        "parent_sku": "",
        "title": "Organic cotton tee",
        "description": "Soft, heavyweight organic cotton tee, pre-shrunk and cut for a relaxed fit.",
        "category": "apparel",
        "brand": "Sunny Threads",
        "keywords": "tee, cotton, organic",
        "size": "M",
        "colour": "Black",
        "price": "24.00",
        "compare_at_price": "30.00",
        "stock": "40",
        "low_stock_threshold": "5",
        "weight_grams": "220",
    },
    {
        "seller_sku": "TEE-BLK-L",
        "parent_sku": "TEE-BLK-M",
        "title": "Organic cotton tee",
        "size": "L",
        "colour": "Black",
        "price": "24.00",
        "stock": "25",
    },
]


def template_rows() -> list[list[str]]:
    """The example rows of the downloadable template, in COLUMNS order."""
    return [[row.get(c, "") for c in COLUMNS] for row in TEMPLATE_EXAMPLE]


def decode_upload(raw: bytes) -> str:
    """UTF-8 with or without a BOM; anything else is refused with a sentence the seller can act on."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(
            f"This file is not UTF-8 text (byte 0x{raw[exc.start]:02X} at position {exc.start} "
            "is not valid UTF-8 — it looks like Latin-1/Windows encoding). In your spreadsheet "
            "choose “CSV UTF-8” when saving, then upload it again."
        ) from None
    if not text.strip():
        raise ValidationError("The file is empty.")
    return text


def check_header(text: str) -> tuple[list[str], int]:
    """The normalised header and the number of data rows, or a clear refusal."""
    reader = csv.reader(io.StringIO(text))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except (StopIteration, csv.Error):
        raise ValidationError("The file has no header row.") from None
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    unknown = [h for h in header if h and h not in COLUMNS]
    duplicated = sorted({h for h in header if h and header.count(h) > 1})
    problems = []
    if missing:
        problems.append(
            "Missing column" + ("s" if len(missing) > 1 else "") + ": " + ", ".join(missing) + "."
        )
    if unknown:
        problems.append(
            "Unknown column" + ("s" if len(unknown) > 1 else "") + ": " + ", ".join(unknown) + "."
        )
    if duplicated:
        problems.append("Repeated column: " + ", ".join(duplicated) + ".")
    if problems:
        raise ValidationError(
            " ".join(problems)
            + " Download the template for the expected headers: "
            + ", ".join(COLUMNS)
            + "."
        )
    try:
        rows = sum(1 for row in reader if any(cell.strip() for cell in row))
    except csv.Error as exc:
        raise ValidationError(f"The file is not a valid CSV: {exc}.") from None
    if rows == 0:
        raise ValidationError("The file has a header but no product rows.")
    return header, rows


def iter_rows(text: str) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number as a spreadsheet shows it — header is row 1, data from row 2 —, cells)."""
    reader = csv.reader(io.StringIO(text))
    header = [h.strip().lower() for h in next(reader)]
    for number, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        row = {
            name: (unquote_cell(cells[i]).strip() if i < len(cells) else "")
            for i, name in enumerate(header)
        }
        yield number, row


def export_rows(*, shop: Shop, products) -> Iterator[list]:
    """One row per SKU of these products (a filtered queryset), read in id-ordered chunks."""
    last_id = 0
    ids_qs = products.order_by("id").values_list("id", flat=True)
    while True:
        ids = list(ids_qs.filter(id__gt=last_id)[:1000])
        if not ids:
            return
        last_id = ids[-1]
        batch = {
            p.pk: p
            for p in Product.objects.filter(shop=shop, pk__in=ids).select_related("category")
        }
        skus = SKU.objects.filter(shop=shop, product_id__in=ids).order_by("product_id", "id")
        first_sku: dict[int, str] = {}
        for sku in skus:
            product = batch[sku.product_id]
            parent = first_sku.setdefault(sku.product_id, sku.seller_sku)
            yield [
                sku.seller_sku,
                "" if parent == sku.seller_sku else parent,
                product.title,
                product.description,
                product.category.slug if product.category else "",
                product.brand,
                product.keywords,
                sku.attributes.get("size", ""),
                sku.attributes.get("colour", ""),
                sku.price if sku.price is not None else "",
                sku.compare_at_price if sku.compare_at_price is not None else "",
                sku.on_hand,
                sku.low_stock_threshold if sku.low_stock_threshold is not None else "",
                product.weight_grams if product.weight_grams is not None else "",
            ]


ERROR_REPORT_COLUMNS = ["row", "column", "message"]


def error_report_rows(errors: list[dict]) -> Iterator[list]:
    """The import's row-level errors, as a file the seller can open next to theirs."""
    return ([error["row"], error["column"], error["message"]] for error in errors)
