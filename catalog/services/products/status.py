"""The SPEC §5 product status machine.

``product_transition`` moves one product through the transition helper (common.transitions),
which writes the history row; every other service (activate, deactivate, delete, recover,
suspend, bulk actions) routes through its rules (``transition_refusal``), and every refusal
says why.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from catalog.models import (
    Product,
    ProductStatusChange,
)
from catalog.selectors import PRODUCT_COUNTS_FIGURE
from catalog.services.alerts import inventory_figure_forget
from catalog.services.products.listing import listing_issues
from common.figures import shop_figure_forget
from common.policy import POLICY
from common.transitions import TransitionRefused, transition
from shops.models import Shop

S = Product.Status
By = ProductStatusChange.By


@dataclass
class Outcome:
    product: Product
    # What the seller should read next: why it is not live, or that it is.
    notice: str = ""
    level: str = "success"


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


def submit_for_live(*, shop: Shop, actor, product: Product) -> Outcome:
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


def recheck_listing(*, shop: Shop, actor, product: Product, publish: bool = False) -> Outcome:
    """After an edit: issues → live when fixed; live → issues when an edit broke a check."""
    if product.status == S.ISSUES or (publish and product.status in (S.DRAFT, S.DEACTIVATED)):
        return submit_for_live(shop=shop, actor=actor, product=product)
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
