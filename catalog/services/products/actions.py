"""Status actions on one product: the seller's (activate, deactivate, delete, recover, resubmit)
and staff's (suspend, lift a suspension; the admin calls these)."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from catalog.models import (
    SKU,
    Product,
)
from catalog.services.products.status import (
    By,
    Outcome,
    S,
    listing_issues,
    product_transition,
    shop_live_refusal,
    submit_for_live,
)
from common.policy import POLICY
from common.transitions import TransitionRefused
from shops import activity
from shops.models import Shop


@transaction.atomic
def product_activate(*, shop: Shop, actor, product: Product) -> Outcome:
    """The seller's "Activate"/"Submit": live when the checks pass, issues (with what to fix) if not."""
    outcome = submit_for_live(shop=shop, actor=actor, product=product)
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
