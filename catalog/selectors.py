"""Catalog reads. Lists are keyset-paginated and annotated with correlated subqueries, so a page
costs the same with 10 or 100,000 products: PostgreSQL walks one index range and evaluates the
subqueries for the 50 rows it returns, never aggregating the whole shop."""

import base64
import json
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from catalog.models import (
    SKU,
    Category,
    ImportJob,
    Product,
    ProductImage,
    StockAlert,
)
from common.figures import Figure, count_by_status, shop_figure
from shops.models import Shop

# common.figures name of Home's low-stock tile; forgotten by the seller's own stock changes.
INVENTORY_FIGURE = "inventory"
# common.figures name of the product list's tab counts; forgotten by the seller's status changes.
PRODUCT_COUNTS_FIGURE = "product_status_counts"
LISTED_STATUSES = [s for s in Product.Status.values if s != Product.Status.DELETED]
STOCK_STATES = {"in": "In stock", "low": "Low stock", "out": "Out of stock"}
SORTS = {
    "-updated": ("updated_at", True, "Recently updated"),
    "updated": ("updated_at", False, "Least recently updated"),
    "title": ("title", False, "Title A–Z"),
    "-title": ("title", True, "Title Z–A"),
}
PAGE_SIZE = 50


@dataclass
class ProductFilter:
    status: str = ""  # "" = every listed status; "deleted" = the recovery bin
    q: str = ""
    category_id: int | None = None
    stock: str = ""  # "", in, low, out
    sort: str = "-updated"

    @classmethod
    def from_params(cls, params) -> "ProductFilter":
        status = params.get("status", "")
        status = status if status in Product.Status.values else ""
        try:
            category_id = int(params.get("category") or 0) or None
        except ValueError:
            category_id = None
        if category_id is not None and not 0 < category_id < 2**63:
            category_id = None  # beyond any id: the database would refuse the number (a 500)
        stock = params.get("stock", "")
        sort = params.get("sort", "-updated")
        return cls(
            status=status,
            q=params.get("q", "").replace("\x00", "").strip()[:100],  # PostgreSQL refuses NUL
            category_id=category_id,
            stock=stock if stock in STOCK_STATES else "",
            sort=sort if sort in SORTS else "-updated",
        )

    def as_params(self) -> dict[str, str]:
        params = {
            "status": self.status,
            "q": self.q,
            "category": str(self.category_id or ""),
            "stock": self.stock,
            "sort": self.sort if self.sort != "-updated" else "",
        }
        return {k: v for k, v in params.items() if v}

    @property
    def is_filtered(self) -> bool:
        return bool(self.q or self.category_id or self.stock)


@dataclass
class Page:
    object_list: list
    next_cursor: str = ""
    prev_cursor: str = ""
    extra: dict = field(default_factory=dict)


def sku_available():
    return F("on_hand") - F("reserved")


def sku_threshold(shop: Shop):
    return Coalesce("low_stock_threshold", Value(shop.low_stock_default))


def product_queryset(*, shop: Shop, flt: ProductFilter) -> QuerySet[Product]:
    """The products matching a filter (no ordering, no annotations): bulk actions and export."""
    qs = Product.objects.filter(shop=shop)
    qs = qs.filter(status=flt.status) if flt.status else qs.filter(status__in=LISTED_STATUSES)
    if flt.q:
        qs = qs.filter(
            Q(title__icontains=flt.q)
            | Exists(
                SKU.objects.filter(shop=shop, product=OuterRef("pk"), seller_sku__iexact=flt.q)
            )
        )
    if flt.category_id:
        qs = qs.filter(Q(category_id=flt.category_id) | Q(category__parent_id=flt.category_id))
    if flt.stock:
        qs = qs.filter(_stock_filter(shop, flt.stock))
    return qs


def product_page(*, shop: Shop, flt: ProductFilter, after: str = "", before: str = "") -> Page:
    """One page of the product list, keyset-paginated on an indexed (sort key, id)."""
    key, descending, _ = SORTS[flt.sort]
    qs = _annotate(shop, product_queryset(shop=shop, flt=flt))
    cursor, backwards = (_decode(before), True) if before else (_decode(after), False)
    # Walking backwards = the opposite direction, then reversed in Python.
    desc = descending != backwards
    if cursor is not None:
        value, pk = cursor
        if key == "updated_at":
            value = datetime.fromisoformat(value)
        op = "lt" if desc else "gt"
        qs = qs.filter(Q(**{f"{key}__{op}": value}) | Q(**{key: value, f"pk__{op}": pk}))
    order = [f"-{key}", "-id"] if desc else [key, "id"]
    rows = list(qs.order_by(*order)[: PAGE_SIZE + 1])
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    if backwards:
        rows.reverse()
    page = Page(object_list=rows)
    if rows:
        has_next = more if not backwards else True
        has_prev = (cursor is not None) if not backwards else more
        if has_next:
            page.next_cursor = _encode(rows[-1], key)
        if has_prev:
            page.prev_cursor = _encode(rows[0], key)
    return page


def product_status_counts(*, shop: Shop) -> dict[str, int]:
    """Tab counts: one GROUP BY shared by every request for a minute, or until the seller
    changes a product's status (the sweeps' system delist and re-list show within the minute)."""
    rows = shop_figure(
        shop.pk, PRODUCT_COUNTS_FIGURE, lambda: count_by_status(Product.objects.filter(shop=shop))
    ).value
    counts = {status: rows.get(status, 0) for status in Product.Status.values}
    counts["all"] = sum(n for status, n in counts.items() if status in LISTED_STATUSES)
    return counts


def product_row(*, shop: Shop, product_id: int) -> Product | None:
    """One product with the list's annotations (refreshing its row after an inline edit)."""
    return _annotate(shop, Product.objects.filter(shop=shop, pk=product_id)).first()


def access_product(shop: Shop, product_id: int) -> Product:
    """The shop's product, or 404 — the same answer for "missing" and "not yours"."""
    return get_object_or_404(
        Product.objects.filter(shop=shop).exclude(status=Product.Status.DELETED), pk=product_id
    )


def access_deleted_product(shop: Shop, product_id: int) -> Product:
    return get_object_or_404(
        Product.objects.filter(shop=shop, status=Product.Status.DELETED), pk=product_id
    )


def access_sku(shop: Shop, sku_id: int) -> SKU:
    return get_object_or_404(
        SKU.objects.filter(shop=shop)
        .exclude(product__status=Product.Status.DELETED)
        .select_related("product"),
        pk=sku_id,
    )


def access_import_job(shop: Shop, import_job_id: int) -> ImportJob:
    return get_object_or_404(ImportJob.objects.filter(shop=shop), pk=import_job_id)


def category_choices() -> list[Category]:
    """The staff-maintained tree, parents first (one query)."""
    return list(Category.objects.select_related("parent").order_by("parent__name", "name"))


def inventory_summary_figure(shop: Shop) -> Figure:
    """``inventory_summary`` as of at most a minute ago: it reads every SKU of the shop."""
    return shop_figure(shop.pk, INVENTORY_FIGURE, lambda: inventory_summary(shop))


def inventory_summary(shop: Shop) -> dict[str, int]:
    """Home's inventory tile: SKUs of listed products that are low / out of stock right now."""
    # "Not of a deleted product" rather than a join on the listed statuses: the shop's few
    # deleted products are one small hashed subquery, and only the shop's SKUs are read
    # (the join read every product of every shop: 590 ms on the bench, now 114 ms).
    deleted = Product.objects.filter(shop=shop, status=Product.Status.DELETED).values("pk")
    result = (
        SKU.objects.filter(shop=shop)
        .exclude(product_id__in=deleted)
        .annotate(avail=sku_available(), limit=sku_threshold(shop))
        .aggregate(
            out=Count("id", filter=Q(avail__lte=0)),
            low=Count("id", filter=Q(avail__gt=0, avail__lte=F("limit"))),
        )
    )
    return {"low_stock": result["low"] or 0, "out_of_stock": result["out"] or 0}


def stock_alert_list(*, shop: Shop, include_resolved: bool = False, limit: int = 200):
    qs = StockAlert.objects.filter(shop=shop).select_related("sku", "sku__product")
    if not include_resolved:
        qs = qs.filter(resolved_at__isnull=True)
    return list(qs.order_by("-created_at", "-id")[:limit])


def import_job_list(*, shop: Shop, limit: int = 10) -> list[ImportJob]:
    return list(ImportJob.objects.filter(shop=shop).defer("errors")[:limit])


# --- helpers ----------------------------------------------------------------------------------


def _stock_filter(shop: Shop, state: str) -> Q:
    """Products with a variant out / low, or with every variant comfortably in stock."""
    skus = SKU.objects.filter(shop=shop, product=OuterRef("pk")).annotate(
        avail=sku_available(), limit=sku_threshold(shop)
    )
    if state == "out":
        return Q(Exists(skus.filter(avail__lte=0)))
    if state == "low":
        return Q(Exists(skus.filter(avail__gt=0, avail__lte=F("limit"))))
    return Q(Exists(skus)) & ~Q(Exists(skus.filter(avail__lte=F("limit"))))


def _annotate(shop: Shop, qs: QuerySet[Product]) -> QuerySet[Product]:
    skus = SKU.objects.filter(shop=shop, product=OuterRef("pk")).order_by().values("product")
    limit = sku_threshold(shop)
    return qs.select_related("category").annotate(
        sku_count=Subquery(skus.annotate(n=Count("id")).values("n"), output_field=IntegerField()),
        stock_available=Subquery(
            skus.annotate(n=Sum(F("on_hand") - F("reserved"))).values("n"),
            output_field=IntegerField(),
        ),
        min_price=Subquery(skus.annotate(n=Min("price")).values("n")),
        out_count=Subquery(
            skus.annotate(n=Count("id", filter=Q(on_hand__lte=F("reserved")))).values("n"),
            output_field=IntegerField(),
        ),
        low_count=Subquery(
            skus.annotate(
                n=Count(
                    "id",
                    filter=Q(on_hand__gt=F("reserved"), on_hand__lte=F("reserved") + limit),
                )
            ).values("n"),
            output_field=IntegerField(),
        ),
        thumb=Subquery(
            ProductImage.objects.filter(shop=shop, product=OuterRef("pk"))
            .order_by("position", "id")
            .values("thumbnail")[:1]
        ),
    )


def _encode(product: Product, key: str) -> str:
    value = getattr(product, key)
    value = value.isoformat() if isinstance(value, datetime) else value
    raw = json.dumps([value, product.pk]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str):
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        value, pk = json.loads(raw)
        return value, int(pk)
    except (ValueError, TypeError):
        return None
