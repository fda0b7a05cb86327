"""Products: create, edit, and the SPEC §5 status machine.

``product_transition`` moves one product through the transition helper (common.transitions),
which writes the history row; every other service (activate, deactivate, delete, recover,
suspend, bulk actions) routes through its rules (``transition_refusal``), and every refusal
says why.
"""

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from catalog.models import (
    SKU,
    Product,
    ProductImage,
    ProductStatusChange,
    StockMovement,
)
from catalog.selectors import PRODUCT_COUNTS_FIGURE
from catalog.services.alerts import inventory_figure_forget, stock_alerts_refresh
from catalog.services.images import ACCEPTED_FORMATS, image_check, thumbnail_make
from catalog.services.stock import stock_move
from common.errors import Refused
from common.figures import shop_figure_forget
from common.policy import POLICY
from common.transitions import TransitionRefused, transition
from shops import activity
from shops.models import Shop

S = Product.Status
By = ProductStatusChange.By
# Fields a seller edits on the product form (besides variants and images).
PRODUCT_FIELDS = (
    "title",
    "description",
    "category",
    "brand",
    "keywords",
    "weight_grams",
    "length_cm",
    "width_cm",
    "height_cm",
    "shipping_template_id",
)


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


@dataclass
class Outcome:
    product: Product
    # What the seller should read next: why it is not live, or that it is.
    notice: str = ""
    level: str = "success"


# --- The state machine ------------------------------------------------------------------------


def transition_refusal(*, current: str, to: str, by: str) -> str | None:
    """Why ``by`` may not move a product from ``current`` to ``to`` (None when allowed)."""
    labels = dict(S.choices)
    if current == to:
        return f"The product is already {labels[to].lower()}."
    if current == S.DELISTED and to in (S.LIVE, S.ISSUES) and by != By.SYSTEM:
        return (
            "This product was delisted by the system (inactivity or shop deactivation). "
            "Re-list your store to bring it back; activating a single product does not."
        )
    if current == S.SUSPENDED and to != S.DELETED and by != By.STAFF:
        return (
            "This product is suspended by platform staff. Fix what they asked and resubmit it "
            "for review; only staff can lift a suspension."
        )
    if to == S.SUSPENDED and by != By.STAFF:
        return "Only platform staff can suspend a product."
    if to == S.DELISTED and by != By.SYSTEM:
        return "Only the system delists products (inactivity, shop deactivation)."
    if to not in Product.ALLOWED.get(current, set()):
        return f"A {labels[current].lower()} product cannot become {labels[to].lower()}."
    return None


def shop_live_refusal(*, shop: Shop, adding: int = 1) -> str | None:
    """Why this shop cannot have ``adding`` more live products right now (None when it can)."""
    if shop.status == Shop.Status.PENDING_VERIFICATION:
        return "Your shop is pending verification; products can go live once it is approved."
    if shop.status == Shop.Status.DEACTIVATED:
        return "Your shop is deactivated; reactivate it to put products live."
    if shop.status != Shop.Status.ACTIVE:
        return "Your shop is not active, so products cannot go live."
    if shop.on_probation:
        cap = POLICY.probation_live_listing_cap
        if live_count(shop=shop) + adding > cap:
            return (
                f"Your shop is on probation: at most {cap} products can be live at once. "
                "Deactivate a live product first, or wait until probation ends."
            )
    return None


def live_count(*, shop: Shop) -> int:
    """Exact, for the probation cap: a shop on probation has at most the cap's few live rows."""
    return Product.objects.filter(shop=shop, status=S.LIVE).count()


def product_counts_forget(shop: Shop) -> None:
    """The product list's tab counts are recounted on the next view, after this commit."""
    shop_figure_forget(shop.pk, PRODUCT_COUNTS_FIGURE)


def listing_issues(product: Product) -> list[str]:
    """The listing checks: what the seller must fix before the product can go live."""
    issues = []
    fewest = POLICY.product_min_images
    if product.images.count() < fewest:
        issues.append(
            "Add at least one image." if fewest == 1 else f"Add at least {fewest} images."
        )
    min_chars = POLICY.product_min_description_chars
    if len(product.description.strip()) < min_chars:
        issues.append(f"Write a description of at least {min_chars} characters.")
    if product.category_id is None:
        issues.append("Choose a category.")
    skus = list(product.skus.all())
    if not skus:
        issues.append("Add at least one variant with a price.")
    elif any(s.price is None for s in skus):
        issues.append("Set a price on every variant.")
    if skus and not any(s.available > 0 for s in skus):
        issues.append("Add stock to at least one variant.")
    return issues


@transaction.atomic
def product_transition(
    *, shop: Shop, actor, product: Product, to: str, by: str = By.SELLER, reason: str = ""
) -> Product:
    """Move one product to ``to`` or raise TransitionRefused saying why; writes the history row."""

    def refusal(locked: Product) -> str | None:
        nonlocal shop
        refused = transition_refusal(current=locked.status, to=to, by=by)
        if refused is None and to == S.LIVE:
            issues = listing_issues(locked)
            if issues:
                return "Fix these before the product can go live: " + " ".join(issues)
            if shop.on_probation:  # serialise publishes so the cap cannot be overshot
                shop = Shop.objects.select_for_update().get(pk=shop.pk)
            refused = shop_live_refusal(shop=shop)
        return refused

    moved = transition(
        product,
        to,
        check=refusal,
        fields=lambda locked: _fields_moving(locked, to, reason),
        history={
            "by": by,
            "reason": reason,
            "actor": actor if getattr(actor, "pk", None) else None,
        },
    )
    product_counts_forget(shop)
    if S.DELETED in (moved.from_status, to):
        inventory_figure_forget(shop)  # its SKUs leave or rejoin Home's stock counts
    return product


def _fields_moving(locked: Product, to: str, reason: str) -> dict:
    """What else changes on a product with its status."""
    current, now = locked.status, timezone.now()
    fields = {
        "updated_at": now,
        "status_reason": reason if to in (S.ISSUES, S.SUSPENDED) else "",
    }
    if to == S.DELETED:
        fields.update(status_before_delete=current, deleted_at=now)
    elif current == S.DELETED:
        fields.update(status_before_delete="", deleted_at=None)
    if current == S.SUSPENDED:
        fields["resubmitted_at"] = None
    if to != S.DELISTED and current == S.DELISTED:
        fields["delisted_by"] = ""
    return fields


# --- Seller actions ---------------------------------------------------------------------------


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
            reference="initial stock",
            actor=actor,
        )
    _images_store(shop=shop, product=product, checked=checked)
    outcome = _submit(shop=shop, actor=actor, product=product) if publish else Outcome(product)
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
                reference="new variant",
                actor=actor,
            )
    if remove:
        for image in product.images.filter(pk__in=remove):
            _image_delete(image)
    _images_store(shop=shop, product=product, checked=checked)
    outcome = _recheck(shop=shop, actor=actor, product=product, publish=publish)
    activity.record(shop=shop, kind=activity.Kind.PRODUCT_MODIFIED, actor=actor)
    return outcome


@transaction.atomic
def product_activate(*, shop: Shop, actor, product: Product) -> Outcome:
    """The seller's "Activate"/"Submit": live when the checks pass, issues (with what to fix) if not."""
    outcome = _submit(shop=shop, actor=actor, product=product)
    activity.record(shop=shop, kind=activity.Kind.PRODUCT_MODIFIED, actor=actor)
    return outcome


@transaction.atomic
def product_deactivate(*, shop: Shop, actor, product: Product) -> Product:
    product_transition(shop=shop, actor=actor, product=product, to=S.DEACTIVATED)
    activity.record(shop=shop, kind=activity.Kind.PRODUCT_MODIFIED, actor=actor)
    return product


@transaction.atomic
def product_delete(*, shop: Shop, actor, product: Product) -> Product:
    """Soft delete: out of every list, recoverable for PRODUCT_DELETED_RETENTION_DAYS."""
    if SKU.objects.filter(shop=shop, product=product, reserved__gt=0).exists():
        raise TransitionRefused(
            "This product has stock reserved for open orders; ship or cancel them first."
        )
    product_transition(shop=shop, actor=actor, product=product, to=S.DELETED)
    activity.record(shop=shop, kind=activity.Kind.PRODUCT_MODIFIED, actor=actor)
    return product


@transaction.atomic
def product_recover(*, shop: Shop, actor, product: Product) -> Product:
    """Undo a delete within the retention window: back to draft (or suspended/delisted)."""
    if product.status != S.DELETED:
        raise TransitionRefused("Only deleted products can be recovered.")
    days = POLICY.product_deleted_retention_days
    if product.deleted_at and product.deleted_at < timezone.now() - timedelta(days=days):
        raise TransitionRefused(f"Deleted products can be recovered for {days} days only.")
    before = product.status_before_delete
    to = before if before in (S.SUSPENDED, S.DELISTED) else S.DRAFT
    by = {S.SUSPENDED: By.STAFF, S.DELISTED: By.SYSTEM}.get(to, By.SELLER)
    reason = product.status_reason if to == S.SUSPENDED else ""
    product_transition(shop=shop, actor=actor, product=product, to=to, by=by, reason=reason)
    activity.record(shop=shop, kind=activity.Kind.PRODUCT_MODIFIED, actor=actor)
    return product


@transaction.atomic
def product_resubmit(*, shop: Shop, actor, product: Product) -> Product:
    """A suspended product the seller fixed goes back to staff for review (still suspended)."""
    if product.status != S.SUSPENDED:
        raise TransitionRefused("Only suspended products are resubmitted for review.")
    issues = listing_issues(product)
    if issues:
        raise TransitionRefused("Fix these before resubmitting: " + " ".join(issues))
    Product.objects.filter(shop=shop, pk=product.pk).update(resubmitted_at=timezone.now())
    product.refresh_from_db()
    activity.record(shop=shop, kind=activity.Kind.PRODUCT_MODIFIED, actor=actor)
    return product


# --- Staff actions (the admin calls these) ---------------------------------------------------


@transaction.atomic
def product_suspend(*, shop: Shop, actor, product: Product, reason: str) -> Product:
    """Platform staff take a product down, saying why (the seller sees the reason)."""
    if not reason.strip():
        raise ValidationError("Say why the product is suspended; the seller is shown the reason.")
    product_transition(
        shop=shop, actor=actor, product=product, to=S.SUSPENDED, by=By.STAFF, reason=reason
    )
    from accounts import audit

    audit.record(
        actor=actor,
        action="product.suspend",
        shop=shop,
        target=product,
        changes={"reason": ("", reason)},
    )
    return product


@transaction.atomic
def product_lift_suspension(*, shop: Shop, actor, product: Product, note: str = "") -> Product:
    """Staff lift a suspension: live when the checks pass and the shop may, otherwise issues."""
    issues = listing_issues(product)
    blocked = issues or ([r] if (r := shop_live_refusal(shop=shop)) else [])
    to = S.ISSUES if blocked else S.LIVE
    product_transition(
        shop=shop, actor=actor, product=product, to=to, by=By.STAFF, reason=" ".join(blocked)
    )
    from accounts import audit

    audit.record(
        actor=actor,
        action="product.lift_suspension",
        shop=shop,
        target=product,
        changes={"status": (S.SUSPENDED, to), "note": ("", note)},
    )
    return product


# --- Inline edit ------------------------------------------------------------------------------


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
        _recheck(shop=shop, actor=actor, product=product)
    activity.record(shop=shop, kind=activity.Kind.PRODUCT_MODIFIED, actor=actor)
    return updated


# --- Helpers ----------------------------------------------------------------------------------


def _submit(*, shop: Shop, actor, product: Product) -> Outcome:
    if product.status == S.LIVE:
        return Outcome(product, "The product is already live.", "info")
    refusal = transition_refusal(current=product.status, to=S.LIVE, by=By.SELLER)
    if refusal:
        raise TransitionRefused(refusal)
    issues = listing_issues(product)
    if issues:
        reason = " ".join(issues)
        if product.status == S.ISSUES:
            Product.objects.filter(pk=product.pk).update(status_reason=reason)
            product.status_reason = reason
        else:
            product_transition(shop=shop, actor=actor, product=product, to=S.ISSUES, reason=reason)
        return Outcome(product, "Not live yet — fix these: " + reason, "warning")
    try:
        product_transition(shop=shop, actor=actor, product=product, to=S.LIVE)
    except TransitionRefused as refused:
        return Outcome(product, f"Saved, but not live: {refused}", "warning")
    return Outcome(product, "The product is live.")


def _recheck(*, shop: Shop, actor, product: Product, publish: bool = False) -> Outcome:
    """After an edit: issues → live when fixed; live → issues when an edit broke a check."""
    if product.status == S.ISSUES or (publish and product.status in (S.DRAFT, S.DEACTIVATED)):
        return _submit(shop=shop, actor=actor, product=product)
    if product.status == S.LIVE:
        issues = listing_issues(product)
        if issues:
            reason = " ".join(issues)
            product_transition(shop=shop, actor=actor, product=product, to=S.ISSUES, reason=reason)
            return Outcome(
                product, "Saved; the product is no longer live — fix: " + reason, "warning"
            )
    if product.status == S.SUSPENDED:
        return Outcome(
            product,
            "Saved. The product stays suspended until staff review it; resubmit when it is fixed.",
            "info",
        )
    return Outcome(product, "Saved.")


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


def _images_store(*, shop: Shop, product: Product, checked: list) -> None:
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
    sku.refresh_from_db()
    # Stock or the threshold may have moved: open or close this SKU's alert.
    stock_alerts_refresh(shop=shop, sku_ids=[sku.pk])
    inventory_figure_forget(shop)  # the seller's own edit shows on Home at once
    Product.objects.filter(pk=sku.product_id).update(updated_at=timezone.now())
    return sku
