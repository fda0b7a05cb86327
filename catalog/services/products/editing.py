"""Creating and editing products: the product form (fields, variants, images) and the list's
inline price / stock edit. Saving re-checks a listing, and the status machine decides."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from catalog.models import (
    SKU,
    Product,
    ProductImage,
    StockMovement,
)
from catalog.services.alerts import inventory_figure_forget, stock_alerts_refresh
from catalog.services.images import ACCEPTED_FORMATS, image_check, thumbnail_make
from catalog.services.products.status import (
    Outcome,
    S,
    product_counts_forget,
    recheck_listing,
    submit_for_live,
)
from catalog.services.stock import stock_move
from common.errors import BadInput, Refused
from common.policy import POLICY
from shops import activity
from shops.models import Shop

# Fields a seller edits on the product form (besides variants and images).
PRODUCT_FIELDS = (*Product.EDITABLE, "shipping_template_id")


class VersionConflict(Refused):
    """Someone changed the SKU since the form was shown; ``current`` is what it is now."""

    def __init__(self, current: SKU):
        self.current = current
        super().__init__(
            f"{current.seller_sku} was changed by someone else while you were editing "
            f"(now price {current.price}, on hand {current.on_hand}). Your change was not saved; "
            "check the new values and try again."
        )


@dataclass
class VariantInput:
    seller_sku: str
    price: Decimal | None
    on_hand: int = 0
    attributes: dict = field(default_factory=dict)
    compare_at_price: Decimal | None = None
    low_stock_threshold: int | None = None
    sku_id: int | None = None  # an existing variant being edited
    version: int | None = None  # the version the seller saw


@transaction.atomic
def product_create(
    *,
    shop: Shop,
    actor,
    data: dict,
    variants: list[VariantInput],
    images: list,
    publish: bool = False,
) -> Outcome:
    """Create a product with its variants, initial stock and images; optionally submit it."""
    checked = _images_check(images, existing=0)
    _variants_check(shop=shop, variants=variants)
    product = Product(shop=shop, status=S.DRAFT)
    for name in PRODUCT_FIELDS:
        if name in data:
            setattr(product, name, data[name])
    product.save()
    product_counts_forget(shop)
    for variant in variants:
        _sku_add(
            shop=shop, actor=actor, product=product, variant=variant, reference="initial stock"
        )
    product_images_store(shop=shop, product=product, checked=checked)
    outcome = (
        submit_for_live(shop=shop, actor=actor, product=product) if publish else Outcome(product)
    )
    if not publish:
        outcome.notice = "Saved as a draft."
    activity.record(shop=shop, kind=activity.Kind.PRODUCT_MODIFIED, actor=actor)
    return outcome


@transaction.atomic
def product_update(
    *,
    shop: Shop,
    actor,
    product: Product,
    data: dict,
    variants: list[VariantInput],
    images: list | None = None,
    remove_image_ids: list[int] | None = None,
    publish: bool = False,
) -> Outcome:
    """Save the seller's edits. A product with issues is re-checked (the seller fixed it)."""
    product = Product.objects.select_for_update().get(shop=shop, pk=product.pk)
    if product.status == S.DELETED:
        raise ValidationError("This product is deleted; recover it before editing.")
    remove = set(remove_image_ids or [])
    keep = product.images.exclude(pk__in=remove).count()
    checked = _images_check(images or [], existing=keep)
    _variants_check(shop=shop, variants=variants, product=product)
    for name in PRODUCT_FIELDS:
        if name in data:
            setattr(product, name, data[name])
    product.updated_at = timezone.now()
    product.save()
    for variant in variants:
        if variant.sku_id:
            _sku_apply(shop=shop, actor=actor, variant=variant)
        else:
            _sku_add(
                shop=shop, actor=actor, product=product, variant=variant, reference="new variant"
            )
    if remove:
        for image in product.images.filter(pk__in=remove):
            _image_delete(image)
    product_images_store(shop=shop, product=product, checked=checked)
    outcome = recheck_listing(shop=shop, actor=actor, product=product, publish=publish)
    activity.record(shop=shop, kind=activity.Kind.PRODUCT_MODIFIED, actor=actor)
    return outcome


@transaction.atomic
def sku_inline_update(
    *,
    shop: Shop,
    actor,
    sku: SKU,
    version: int,
    price: Decimal | None = None,
    on_hand: int | None = None,
) -> SKU:
    """Price/stock from the list. Raises VersionConflict rather than overwrite a newer edit."""
    variant = VariantInput(
        seller_sku=sku.seller_sku,
        price=price if price is not None else sku.price,
        on_hand=on_hand if on_hand is not None else sku.on_hand,
        attributes=sku.attributes,
        compare_at_price=sku.compare_at_price,
        low_stock_threshold=sku.low_stock_threshold,
        sku_id=sku.pk,
        version=version,
    )
    _variant_values_check(variant, prefix="")
    updated = _sku_apply(shop=shop, actor=actor, variant=variant)
    product = Product.objects.get(shop=shop, pk=updated.product_id)
    if product.status == S.ISSUES:
        recheck_listing(shop=shop, actor=actor, product=product)
    activity.record(shop=shop, kind=activity.Kind.PRODUCT_MODIFIED, actor=actor)
    return updated


def product_shipping_template_set(
    *, shop: Shop, actor, product: Product, template_id: int | None
) -> None:
    """Point a product at a shipping template (None: the shop's default). The caller (orders,
    which owns templates) has checked that ``template_id`` is one of this shop's."""
    Product.objects.filter(shop=shop, pk=product.pk).update(
        shipping_template_id=template_id, updated_at=timezone.now()
    )
    activity.record(shop=shop, kind=activity.Kind.PRODUCT_MODIFIED, actor=actor)


def _images_check(images: list, *, existing: int) -> list:
    most = POLICY.product_max_images
    if existing + len(images) > most:
        raise ValidationError(
            {
                "images": f"A product can have at most {most} images; you chose {existing + len(images)}."
            }
        )
    errors, checked = [], []
    for upload in images:
        try:
            checked.append(image_check(upload))
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError({"images": errors})
    return checked


def product_images_store(*, shop: Shop, product: Product, checked: list) -> None:
    """Save checked images (catalog.services.images.image_check) after the product's last one,
    each with its thumbnail: the one writer of product images (the form, the API, imports)."""
    position = product.images.order_by("-position").values_list("position", flat=True).first() or 0
    for item in checked:
        position += 1
        image = ProductImage(
            shop=shop, product=product, width=item.width, height=item.height, position=position
        )
        # The extension comes from the format found in the content, never the uploaded name.
        image.image.save(f"image.{ACCEPTED_FORMATS[item.format]}", item.upload, save=False)
        image.thumbnail.save("thumb.jpg", thumbnail_make(item), save=False)
        image.save()


def _image_delete(image: ProductImage) -> None:
    paths = [image.image.name, image.thumbnail.name]
    storage = image.image.storage
    image.delete()
    transaction.on_commit(lambda: [storage.delete(p) for p in paths if p])


def _variants_check(*, shop: Shop, variants: list[VariantInput], product=None) -> None:
    if not variants:
        raise ValidationError("Add at least one variant.")
    errors = {}
    seen: set[str] = set()
    for i, variant in enumerate(variants):
        prefix = f"variant {i + 1}: "
        code = variant.seller_sku.strip()
        if not code:
            errors.setdefault("variants", []).append(prefix + "seller SKU is required.")
            continue
        if code.lower() in seen:
            errors.setdefault("variants", []).append(
                prefix + f"seller SKU {code} is used twice in this product."
            )
        seen.add(code.lower())
        try:
            _variant_values_check(variant, prefix=prefix)
        except ValidationError as exc:
            errors.setdefault("variants", []).extend(exc.messages)
    taken = SKU.objects.filter(shop=shop, seller_sku__in=[v.seller_sku for v in variants])
    if product is not None:
        taken = taken.exclude(pk__in=[v.sku_id for v in variants if v.sku_id])
    for code in taken.values_list("seller_sku", flat=True):
        errors.setdefault("variants", []).append(
            f"Seller SKU {code} is already used by another product in this shop."
        )
    if errors:
        raise ValidationError(errors)


def _variant_values_check(variant: VariantInput, *, prefix: str) -> None:
    problems = []
    if variant.price is not None and variant.price < Decimal("0.01"):
        problems.append(prefix + "price must be at least 0.01.")
    if variant.compare_at_price is not None:
        if variant.price is None:
            problems.append(prefix + "set a price before a compare-at price.")
        elif variant.compare_at_price <= variant.price:
            problems.append(prefix + "the compare-at price must be higher than the price.")
    if variant.on_hand < 0:
        problems.append(prefix + "stock cannot be negative.")
    if problems:
        raise ValidationError(problems)


def _sku_apply(*, shop: Shop, actor, variant: VariantInput) -> SKU:
    """Write an existing variant if nobody changed it since ``variant.version`` was read."""
    sku = SKU.objects.select_for_update().get(shop=shop, pk=variant.sku_id)
    if variant.version is not None and sku.version != variant.version:
        raise VersionConflict(sku)
    delta = variant.on_hand - sku.on_hand
    if variant.on_hand < sku.reserved:
        raise ValidationError(
            f"{sku.seller_sku}: stock cannot go below the {sku.reserved} units reserved for open orders."
        )
    sku.seller_sku = variant.seller_sku
    sku.attributes = variant.attributes
    sku.price = variant.price
    sku.compare_at_price = variant.compare_at_price
    sku.low_stock_threshold = variant.low_stock_threshold
    fields = ["seller_sku", "attributes", "price", "compare_at_price", "low_stock_threshold"]
    if not delta:  # a stock change bumps the version itself
        sku.version = F("version") + 1
        fields.append("version")
    try:
        with transaction.atomic():
            sku.save(update_fields=fields)
    except IntegrityError:
        raise ValidationError(
            f"Seller SKU {variant.seller_sku} is already used by another product in this shop."
        ) from None
    stock_move(
        shop=shop, sku_id=sku.pk, on_hand=delta, reason=StockMovement.Reason.ADJUSTMENT, actor=actor
    )
    return _stock_edited(shop=shop, sku=sku)


@transaction.atomic
def sku_stock_adjust(
    *,
    shop: Shop,
    actor,
    sku: SKU,
    note: str,
    delta: int | None = None,
    set_to: int | None = None,
) -> SKU:
    """Set (``set_to``) or adjust (``delta``) one SKU's stock on hand, saying why: one stock
    movement whose reference is the reason. Never below the units reserved for open orders."""
    note = (note or "").strip()[:64]
    if not note:
        raise BadInput("Say why the stock changes (e.g. “cycle count”).", field="reason")
    if (delta is None) == (set_to is None):
        raise BadInput("Give either the new stock on hand or a change to it.", field="on_hand")
    locked = SKU.objects.select_for_update().get(shop=shop, pk=sku.pk)
    change = set_to - locked.on_hand if set_to is not None else delta
    if locked.on_hand + change < locked.reserved:
        raise Refused(
            f"{locked.seller_sku}: stock cannot go below the {locked.reserved} units reserved "
            "for open orders."
        )
    stock_move(
        shop=shop, sku_id=locked.pk, on_hand=change, reason=StockMovement.Reason.ADJUSTMENT,
        reference=note, actor=actor,
    )  # fmt: skip
    locked = _stock_edited(shop=shop, sku=locked)
    activity.record(shop=shop, kind=activity.Kind.PRODUCT_MODIFIED, actor=actor)
    return locked


def _stock_edited(*, shop: Shop, sku: SKU) -> SKU:
    """After a seller's stock or threshold edit: the fresh row, its alert, Home's tile, the
    product's "updated" time."""
    sku.refresh_from_db()
    # Stock or the threshold may have moved: open or close this SKU's alert.
    stock_alerts_refresh(shop=shop, sku_ids=[sku.pk])
    inventory_figure_forget(shop)  # the seller's own edit shows on Home at once
    Product.objects.filter(pk=sku.product_id).update(updated_at=timezone.now())
    return sku


def _sku_add(*, shop: Shop, actor, product: Product, variant: VariantInput, reference: str) -> SKU:
    """A new variant and its starting stock, written as a stock movement like every change."""
    sku = SKU.objects.create(
        shop=shop,
        product=product,
        seller_sku=variant.seller_sku,
        attributes=variant.attributes,
        price=variant.price,
        compare_at_price=variant.compare_at_price,
        low_stock_threshold=variant.low_stock_threshold,
    )
    stock_move(
        shop=shop,
        sku_id=sku.pk,
        on_hand=variant.on_hand,
        reason=StockMovement.Reason.ADJUSTMENT,
        reference=reference,
        actor=actor,
    )
    return sku
