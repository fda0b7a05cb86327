"""Product CSV exports of Shopify and WooCommerce, read into our own import format
(catalog.csvio) so they go through the one import pipeline: progress, a report per row,
re-import by seller SKU updating instead of duplicating.

The translation keeps one output row per input row (a row that carries no variant, such as a
Shopify image-only row or a WooCommerce "variable" parent, becomes a blank row, which the
pipeline skips), so every error the report names is on the row the seller sees in their own
file. Descriptions in HTML are sanitised with nh3 down to text. Image URLs (``image_urls``) are kept
on the import job and fetched after it (catalog.services.imports.images).
"""

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import nh3

from catalog.csvio import COLUMNS

SHOPIFY = "Shopify"
WOOCOMMERCE = "WooCommerce"
SHOPIFY_MARKERS = {"handle", "variant sku", "variant price"}
WOOCOMMERCE_MARKERS = {"type", "sku", "regular price", "parent"}
SIZE_NAMES = {"size", "taille", "größe"}
COLOUR_NAMES = {"color", "colour", "couleur", "farbe"}


@dataclass
class Preview:
    """What the file becomes, for the seller to confirm: products with their variants."""

    source: str
    products: list[dict] = field(default_factory=list)  # {"title", "variants": [sku…], "images"}
    skipped_rows: int = 0


def detect(text: str) -> str:
    """SHOPIFY, WOOCOMMERCE, or "" (our own format, or anything else)."""
    header = {h.strip().lower() for h in _header(text)}
    if SHOPIFY_MARKERS <= header:
        return SHOPIFY
    if WOOCOMMERCE_MARKERS <= header:
        return WOOCOMMERCE
    return ""


def to_native(text: str) -> tuple[str, str]:
    """(the file in our import format, the platform it came from); our own files unchanged."""
    source = detect(text)
    if not source:
        return text, ""
    rows = list(csv.DictReader(io.StringIO(text)))
    rows = [{(k or "").strip().lower(): (v or "").strip() for k, v in r.items()} for r in rows]
    native = _from_shopify(rows) if source == SHOPIFY else _from_woocommerce(rows)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in native:
        writer.writerow({c: row.get(c, "") for c in COLUMNS})
    return out.getvalue(), source


def preview(text: str) -> Preview:
    """The mapping the seller confirms: which rows become which product, variant and image."""
    source = detect(text)
    native, _ = to_native(text)
    result = Preview(source=source or "Seller Center")
    products: dict[str, dict] = {}
    for cells in csv.DictReader(io.StringIO(native)):
        if not any(cells[c] for c in ("seller_sku", "parent_sku", "title", "price")):
            result.skipped_rows += 1
            continue
        parent = cells["parent_sku"] or cells["seller_sku"]
        product = products.setdefault(parent, {"title": cells["title"], "variants": []})
        product["variants"].append(cells["seller_sku"] or "(no SKU)")
    result.products = list(products.values())
    images = image_urls(text)
    for product in result.products:
        product["images"] = len(images.get(product["variants"][0], []))
    return result


# --- Shopify -----------------------------------------------------------------------------------
def _from_shopify(rows: list[dict]) -> list[dict]:
    out, first_sku, product_of = [], {}, {}
    for row in rows:
        handle = row.get("handle", "")
        if row.get("title"):
            product_of[handle] = row
        product = product_of.get(handle, {})
        options = _options(row, product)
        if not (row.get("variant sku") or row.get("variant price") or options):
            out.append({})  # an image-only row (or empty): nothing to import here
            continue
        native = _variant(
            sku=row.get("variant sku", ""),
            price=row.get("variant price", ""),
            compare_at=row.get("variant compare at price", ""),
            stock=row.get("variant inventory qty", ""),
            grams=row.get("variant grams", ""),
            options=options,
        )
        if handle in first_sku:
            native["parent_sku"] = first_sku[handle]
        else:
            first_sku[handle] = native["seller_sku"]
            native.update(
                title=product.get("title", ""),
                description=_text(product.get("body (html)", "")),
                brand=product.get("vendor", ""),
                keywords=product.get("tags", ""),
            )
        out.append(native)
    return out


def _options(row: dict, product: dict) -> dict[str, str]:
    """Option values of a variant row, named by the product's first row (Shopify writes the
    option names once per product)."""
    return {
        (row.get(f"option{i} name") or product.get(f"option{i} name", "")).lower(): value
        for i in (1, 2, 3)
        if (value := row.get(f"option{i} value", "")) and value != "Default Title"
    }


# --- WooCommerce -------------------------------------------------------------------------------
def _from_woocommerce(rows: list[dict]) -> list[dict]:
    by_ref = {}
    for row in rows:
        if row.get("id"):
            by_ref[f"id:{row['id']}"] = row
        if row.get("sku"):
            by_ref[row["sku"]] = row
    out, first_sku = [], {}
    for row in rows:
        kind = row.get("type", "").lower()
        if kind == "variable" or not kind:
            out.append({})  # the parent of variations: its fields go on its first variation
            continue
        parent = by_ref.get(row.get("parent", "")) if kind == "variation" else None
        product = parent or row
        sale, regular = row.get("sale price", ""), row.get("regular price", "")
        native = _variant(
            sku=row.get("sku", ""),
            price=sale or regular,
            compare_at=regular if sale else "",
            stock=row.get("stock", ""),
            grams=_kg_to_grams(row.get("weight (kg)", "")),
            options=_woo_attributes(row),
        )
        key = id(product)
        if parent is not None and key in first_sku:
            native["parent_sku"] = first_sku[key]
        else:
            first_sku[key] = native["seller_sku"]
            native.update(
                title=product.get("name", ""),
                description=_text(
                    product.get("description", "") or product.get("short description", "")
                ),
                keywords=product.get("tags", ""),
            )
        out.append(native)
    return out


def _woo_attributes(row: dict) -> dict[str, str]:
    return {
        row.get(f"attribute {i} name", "").lower(): row.get(f"attribute {i} value(s)", "")
        for i in range(1, 4)
        if row.get(f"attribute {i} value(s)")
    }


# --- shared ------------------------------------------------------------------------------------
def _variant(*, sku, price, compare_at, stock, grams, options) -> dict:
    size = next((v for k, v in options.items() if k in SIZE_NAMES), "")
    colour = next((v for k, v in options.items() if k in COLOUR_NAMES), "")
    return {
        "seller_sku": sku,
        "price": price,
        "compare_at_price": compare_at,
        "stock": stock or "0",
        "weight_grams": grams,
        "size": size,
        "colour": colour,
    }


def _text(html: str) -> str:
    """HTML description → plain text: block ends become line breaks, nh3 removes every tag
    (and drops script and style content), entities are unescaped once."""
    import html as html_lib

    marked = re.sub(r"(?i)<\s*(br|/p|/li|/h\d|/div)\s*/?>", "\n", html or "")
    text = nh3.clean(marked, tags=set(), clean_content_tags={"script", "style"})
    text = html_lib.unescape(text)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(line.strip() for line in text.splitlines())).strip()


def _kg_to_grams(value: str) -> str:
    try:
        return str(int(Decimal(value) * 1000)) if value else ""
    except InvalidOperation:
        return value  # the pipeline reports it on this row


def image_urls(text: str) -> dict[str, list[str]]:
    """The image URLs of each product of a Shopify or WooCommerce export, keyed by its first
    SKU (the one the import files the product under), in the file's order, each once."""
    source = detect(text)
    if not source:
        return {}
    urls: dict[str, list[str]] = {}
    native, _ = to_native(text)
    natives = list(csv.DictReader(io.StringIO(native)))
    originals = [
        {(k or "").lower(): v for k, v in r.items()} for r in csv.DictReader(io.StringIO(text))
    ]
    column = "image src" if source == SHOPIFY else "images"
    owner = ""
    for original, row in zip(originals, natives, strict=False):
        owner = row["parent_sku"] or row["seller_sku"] or owner
        for url in (original.get(column) or "").split(","):
            if owner and url.strip() and url.strip() not in urls.get(owner, []):
                urls.setdefault(owner, []).append(url.strip())
    return urls


def _header(text: str) -> list[str]:
    try:
        return next(csv.reader(io.StringIO(text)))
    except (StopIteration, csv.Error):
        return []
