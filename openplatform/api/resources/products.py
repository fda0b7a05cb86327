"""Products, their variants (SKUs) and stock, through the catalog's selectors and services."""

from datetime import datetime
from decimal import Decimal
from typing import Literal

from django.http import Http404, HttpResponse
from ninja import Field, Query, Router, Schema, Status

from catalog.models import SKU, Category, Product
from catalog.selectors import (
    ProductFilter,
    access_deleted_product,
    access_product,
    access_sku,
    product_page,
)
from catalog.services.products import actions
from catalog.services.products.editing import (
    VariantInput,
    product_create,
    product_update,
    sku_inline_update,
    sku_stock_adjust,
)
from common.errors import BadInput
from openplatform.api.base import Input, actor, etag_of, if_match, need
from openplatform.scopes import PRODUCTS_READ, PRODUCTS_WRITE
from orders.selectors import access_shipping_template

router = Router(tags=["products"])
Money = Field(max_digits=12, decimal_places=2)


class SkuOut(Schema):
    id: int
    seller_sku: str
    attributes: dict
    price: Decimal | None
    compare_at_price: Decimal | None
    on_hand: int
    reserved: int
    available: int
    low_stock_threshold: int | None
    version: int


class ProductOut(Schema):
    id: int
    title: str
    description: str
    status: str
    status_reason: str
    category_id: int | None
    brand: str
    keywords: str
    weight_grams: int | None
    shipping_template_id: int | None
    created_at: datetime
    updated_at: datetime
    skus: list[SkuOut]


class ProductPage(Schema):
    items: list[ProductOut]
    next_cursor: str | None


class VariantIn(Input):
    seller_sku: str = Field(min_length=1, max_length=64)
    price: Decimal | None = Field(None, max_digits=12, decimal_places=2)
    compare_at_price: Decimal | None = Field(None, max_digits=12, decimal_places=2)
    on_hand: int = Field(0, ge=0, le=10_000_000)
    attributes: dict[str, str] = Field(default_factory=dict, max_length=10)
    low_stock_threshold: int | None = Field(None, ge=0, le=10_000_000)


class VariantEdit(VariantIn):
    id: int | None = Field(None, description="An existing SKU of this product; omit to add one.")


class ProductIn(Input):
    title: str = Field(min_length=1, max_length=255)
    description: str = Field("", max_length=20_000)
    category_id: int | None = None
    brand: str = Field("", max_length=100)
    keywords: str = Field("", max_length=255)
    weight_grams: int | None = Field(None, ge=0, le=1_000_000)
    shipping_template_id: int | None = None
    variants: list[VariantIn] = Field(min_length=1, max_length=100)
    publish: bool = False


class ProductPatch(Input):
    title: str | None = Field(None, min_length=1, max_length=255)
    description: str | None = Field(None, max_length=20_000)
    category_id: int | None = None
    brand: str | None = Field(None, max_length=100)
    keywords: str | None = Field(None, max_length=255)
    weight_grams: int | None = Field(None, ge=0, le=1_000_000)
    shipping_template_id: int | None = None
    variants: list[VariantEdit] | None = Field(None, min_length=1, max_length=100)
    publish: bool = False


class StatusIn(Input):
    action: Literal["activate", "deactivate", "delete", "recover", "resubmit"]


class SkuPatch(Input):
    price: Decimal | None = Field(None, max_digits=12, decimal_places=2)
    on_hand: int | None = Field(None, ge=0, le=10_000_000)


class StockSet(Input):
    on_hand: int = Field(ge=0, le=10_000_000)
    reason: str = Field(min_length=1, max_length=64)


class StockAdjust(Input):
    delta: int = Field(ge=-10_000_000, le=10_000_000)
    reason: str = Field(min_length=1, max_length=64)


class ProductFilters(Schema):
    status: Literal[tuple(Product.Status.values)] | None = None  # type: ignore[valid-type]
    q: str = Field("", max_length=100)
    category_id: int | None = None
    stock: Literal["in", "low", "out"] | None = None
    cursor: str = Field("", max_length=200)


# --- reads ------------------------------------------------------------------------------------
@router.get("/products", response=ProductPage, summary="List products (filters, cursor)")
def product_list(request, filters: Query[ProductFilters]):
    need(request, PRODUCTS_READ)
    flt = ProductFilter.from_params(
        {
            "status": filters.status or "",
            "q": filters.q,
            "category": str(filters.category_id or ""),
            "stock": filters.stock or "",
        }
    )
    page = product_page(shop=request.shop, flt=flt, after=filters.cursor)
    items = [_product_out(p) for p in _with_skus(request.shop, page.object_list)]
    return {"items": items, "next_cursor": page.next_cursor or None}


@router.get("/products/{product_id}", response=ProductOut, summary="Read a product")
def product_read(request, product_id: int, response: HttpResponse):
    need(request, PRODUCTS_READ)
    product = _with_skus(request.shop, [access_product(request.shop, product_id)])[0]
    return _product_answer(product, response)


@router.get("/skus/{sku_id}", response=SkuOut, summary="Read a SKU")
def sku_read(request, sku_id: int, response: HttpResponse):
    need(request, PRODUCTS_READ)
    sku = access_sku(request.shop, sku_id)
    return _sku_answer(sku, response)


# --- writes -----------------------------------------------------------------------------------
@router.post("/products", response={201: ProductOut}, summary="Create a product")
def product_create_op(request, body: ProductIn, response: HttpResponse):
    need(request, PRODUCTS_WRITE)
    data = _product_fields(request, body.model_dump(exclude={"variants", "publish"}))
    outcome = product_create(
        shop=request.shop,
        actor=actor(request),
        data=data,
        variants=[VariantInput(**v.model_dump()) for v in body.variants],
        images=[],
        publish=body.publish,
    )
    product = _with_skus(request.shop, [outcome.product])[0]
    return Status(201, _product_answer(product, response))


@router.patch("/products/{product_id}", response=ProductOut, summary="Update a product")
def product_update_op(request, product_id: int, body: ProductPatch, response: HttpResponse):
    """Send If-Match with the ETag you read: a product changed since answers 412."""
    need(request, PRODUCTS_WRITE)
    product = _with_skus(request.shop, [access_product(request.shop, product_id)])[0]
    if_match(request, _product_etag(product))
    data = _product_fields(
        request, body.model_dump(exclude_unset=True, exclude={"variants", "publish"})
    )
    current = {sku.pk: sku for sku in product.sku_list}
    if body.variants is None:
        variants = [_variant_of(sku) for sku in product.sku_list]
    else:
        variants = []
        for v in body.variants:
            if v.id is not None and v.id not in current:
                raise BadInput(f"SKU {v.id} is not a variant of this product.", field="variants")
            sku = current.get(v.id)
            fields = v.model_dump(exclude={"id"})
            variants.append(
                VariantInput(**fields, sku_id=v.id, version=sku.version if sku else None)
            )
    outcome = product_update(
        shop=request.shop, actor=actor(request), product=product, data=data,
        variants=variants, publish=body.publish,
    )  # fmt: skip
    product = _with_skus(request.shop, [access_product(request.shop, outcome.product.pk)])[0]
    return _product_answer(product, response)


@router.post("/products/{product_id}/status", response=ProductOut, summary="Change status")
def product_status_op(request, product_id: int, body: StatusIn):
    """activate (goes live when the listing checks pass, else "issues"), deactivate, delete,
    recover (a deleted product), resubmit (a suspended product you fixed)."""
    need(request, PRODUCTS_WRITE)
    shop, who = request.shop, actor(request)
    if body.action == "recover":
        product = access_deleted_product(shop, product_id)
    else:
        product = access_product(shop, product_id)
    service = {
        "activate": actions.product_activate,
        "deactivate": actions.product_deactivate,
        "delete": actions.product_delete,
        "recover": actions.product_recover,
        "resubmit": actions.product_resubmit,
    }[body.action]
    service(shop=shop, actor=who, product=product)
    product = Product.objects.get(shop=shop, pk=product.pk)
    return _product_out(_with_skus(shop, [product])[0])


@router.patch("/skus/{sku_id}", response=SkuOut, summary="Update a SKU's price or stock")
def sku_update_op(request, sku_id: int, body: SkuPatch, response: HttpResponse):
    """Send If-Match with the SKU's ETag: a SKU changed since answers 412."""
    need(request, PRODUCTS_WRITE)
    sku = access_sku(request.shop, sku_id)
    if_match(request, _sku_etag(sku))
    sku = sku_inline_update(
        shop=request.shop, actor=actor(request), sku=sku, version=sku.version,
        price=body.price, on_hand=body.on_hand,
    )  # fmt: skip
    return _sku_answer(sku, response)


@router.put("/skus/{sku_id}/stock", response=SkuOut, summary="Set stock on hand")
def stock_set_op(request, sku_id: int, body: StockSet, response: HttpResponse):
    need(request, PRODUCTS_WRITE)
    sku = access_sku(request.shop, sku_id)
    if_match(request, _sku_etag(sku))
    sku = sku_stock_adjust(
        shop=request.shop, actor=actor(request), sku=sku, set_to=body.on_hand, note=body.reason
    )
    return _sku_answer(sku, response)


@router.post("/skus/{sku_id}/stock/adjustments", response=SkuOut, summary="Adjust stock")
def stock_adjust_op(request, sku_id: int, body: StockAdjust, response: HttpResponse):
    """Add (or, negative, take away) units on hand, with a reason kept on the stock movement."""
    need(request, PRODUCTS_WRITE)
    sku = access_sku(request.shop, sku_id)
    sku = sku_stock_adjust(
        shop=request.shop, actor=actor(request), sku=sku, delta=body.delta, note=body.reason
    )
    return _sku_answer(sku, response)


# --- helpers ----------------------------------------------------------------------------------
def _with_skus(shop, products: list[Product]) -> list[Product]:
    skus: dict[int, list[SKU]] = {}
    for sku in SKU.objects.filter(shop=shop, product__in=[p.pk for p in products]).order_by("pk"):
        skus.setdefault(sku.product_id, []).append(sku)
    for product in products:
        product.sku_list = skus.get(product.pk, [])
    return products


def _product_out(product: Product) -> dict:
    fields = list(ProductOut.model_fields)
    out = {name: getattr(product, name) for name in fields if name != "skus"}
    out["skus"] = [_sku_out(s) for s in product.sku_list]
    return out


def _sku_out(sku: SKU) -> dict:
    return {
        "id": sku.pk,
        "seller_sku": sku.seller_sku,
        "attributes": sku.attributes,
        "price": sku.price,
        "compare_at_price": sku.compare_at_price,
        "on_hand": sku.on_hand,
        "reserved": sku.reserved,
        "available": sku.on_hand - sku.reserved,
        "low_stock_threshold": sku.low_stock_threshold,
        "version": sku.version,
    }


def _variant_of(sku: SKU) -> VariantInput:
    return VariantInput(
        seller_sku=sku.seller_sku, price=sku.price, on_hand=sku.on_hand,
        attributes=sku.attributes, compare_at_price=sku.compare_at_price,
        low_stock_threshold=sku.low_stock_threshold, sku_id=sku.pk, version=sku.version,
    )  # fmt: skip


def _product_answer(product: Product, response: HttpResponse) -> dict:
    """The product as the API shows it; its ETag goes in the header, for the next If-Match."""
    response["ETag"] = _product_etag(product)
    return _product_out(product)


def _sku_answer(sku: SKU, response: HttpResponse) -> dict:
    """The SKU as the API shows it; its ETag goes in the header, for the next If-Match."""
    response["ETag"] = _sku_etag(sku)
    return _sku_out(sku)


def _sku_etag(sku: SKU) -> str:
    return etag_of("sku", sku.pk, sku.version)


def _product_etag(product: Product) -> str:
    return etag_of(
        "product", product.pk, product.updated_at.isoformat(), product.status,
        *(f"{s.pk}:{s.version}" for s in product.sku_list),
    )  # fmt: skip


def _product_fields(request, data: dict) -> dict:
    """The API's ids as the product form's values: a category, this shop's shipping template."""
    if data.get("category_id") is not None:
        category = Category.objects.filter(pk=data["category_id"]).first()
        if category is None:
            raise BadInput("No such category.", field="category_id")
        data["category"] = category
    data.pop("category_id", None)
    if data.get("shipping_template_id") is not None:
        try:
            access_shipping_template(request.shop, data["shipping_template_id"])
        except Http404:
            raise BadInput(
                "No such shipping template in this shop.", field="shipping_template_id"
            ) from None
    for name in ("description", "brand", "keywords"):
        if name in data and data[name] is None:
            data.pop(name)
    return data
