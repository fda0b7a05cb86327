"""Bulk actions on a selection or on a whole filtered list (possibly 100,000 products).

Work is set-based, in chunks: one UPDATE per chunk, history rows written
with bulk_create by the transition helper (common.transitions), so the whole set costs a few
queries per thousand products. The status rules are those of products.transition_refusal —
the one rule book.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from catalog.models import SKU, Product, ProductStatusChange, StockMovement
from catalog.services.alerts import inventory_figure_forget
from catalog.services.products.listing import listing_issues_many
from catalog.services.products.status import (
    live_count,
    product_counts_forget,
    shop_live_refusal,
    transition_refusal,
)
from catalog.services.stock import StockChange, stock_move_many
from common.errors import BadInput
from common.policy import POLICY
from common.transitions import transition_bulk
from shops import activity
from shops.models import Shop

S = Product.Status
By = ProductStatusChange.By
CHUNK = 1000
ACTIONS = {
    "activate": "Activate",
    "deactivate": "Deactivate",
    "delete": "Delete",
    "set_price": "Set price",
    "set_stock": "Set stock",
}
DESTRUCTIVE = {"deactivate", "delete"}


@dataclass
class BulkResult:
    action: str
    done: int = 0
    skipped: int = 0
    notes: list[str] | None = None

    def summary(self) -> str:
        """Counted in products: "Set stock: 3 products done, 1 skipped — why."""
        noun = "product" if self.done + self.skipped == 1 else "products"
        text = f"{ACTIONS[self.action]}: {self.done:,} {noun} done"
        if self.skipped:
            text += f", {self.skipped:,} skipped"
        if self.notes:
            text += " — " + " ".join(dict.fromkeys(self.notes))
        return text + "."


def product_bulk_action(
    *, shop: Shop, actor, action: str, product_ids: Iterable[int], value: str = ""
) -> BulkResult:
    """Apply ``action`` to these products; skipped ones are counted and explained."""
    if action not in ACTIONS:
        raise BadInput("Choose an action.")
    amount = parse_value(action, value)
    ids = list(product_ids)
    result = BulkResult(action=action, notes=[])
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        with transaction.atomic():
            handler = _HANDLERS[action]
            handler(shop=shop, actor=actor, ids=chunk, amount=amount, result=result)
    if result.done:
        activity.record(shop=shop, kind=activity.Kind.PRODUCT_MODIFIED, actor=actor)
        inventory_figure_forget(shop)  # stock set, products deleted or recovered
    return result


def parse_value(action: str, value: str):
    if action == "set_price":
        try:
            price = Decimal(value.strip())
        except (ArithmeticError, ValueError, AttributeError):
            raise BadInput("Enter a price such as 19.99.") from None
        if not price.is_finite() or price.as_tuple().exponent < -2:
            raise BadInput("A price has at most 2 decimal places.")
        if price < Decimal("0.01"):
            raise BadInput("The price must be at least 0.01.")
        if price >= Decimal("10000000000"):
            raise BadInput("That price is too large.")
        return price
    if action == "set_stock":
        try:
            stock = int(value.strip())
        except (ValueError, AttributeError):
            raise BadInput("Enter stock as a whole number, such as 25.") from None
        if stock < 0:
            raise BadInput("Stock cannot be negative.")
        return stock
    return None


def _move(*, shop, actor, ids, to: str, result: BulkResult, reasons: dict | None = None) -> int:
    """Set-based transition of ``ids`` to ``to`` from every status the seller's rules allow."""
    now = timezone.now()
    fields = {"updated_at": now, "status_reason": ""}
    if to == S.DELETED:  # F("status") is the status before this UPDATE
        fields.update(deleted_at=now, status_before_delete=F("status"))
    moved = transition_bulk(
        Product.objects.filter(shop=shop, pk__in=ids).only("pk", "shop_id", "status"),
        to,
        fields=fields,
        check=lambda row: transition_refusal(current=row.status, to=to, by=By.SELLER),
        history=lambda row: {
            "by": By.SELLER,
            "reason": (reasons or {}).get(row.pk, ""),
            "actor": actor,
        },
    )
    if moved.moved:
        product_counts_forget(shop)
    result.skipped += len(moved.skipped)
    return len(moved.moved)


def _deactivate(*, shop, actor, ids, amount, result):
    result.done += _move(shop=shop, actor=actor, ids=ids, to=S.DEACTIVATED, result=result)


def _delete(*, shop, actor, ids, amount, result):
    reserved = set(
        SKU.objects.filter(shop=shop, product_id__in=ids, reserved__gt=0).values_list(
            "product_id", flat=True
        )
    )
    if reserved:
        result.notes.append("Products with stock reserved for open orders were not deleted.")
        result.skipped += len(reserved)
    ids = [i for i in ids if i not in reserved]
    result.done += _move(shop=shop, actor=actor, ids=ids, to=S.DELETED, result=result)


def _activate(*, shop, actor, ids, amount, result):
    """Listing checks for the whole chunk in one query, then live / issues set-based."""
    candidates = Product.objects.filter(shop=shop, pk__in=ids).exclude(status=S.LIVE)
    issues_by_pk = listing_issues_many(candidates)
    statuses = dict(candidates.values_list("pk", "status"))
    passing, failing = [], {}
    for pk, issues in issues_by_pk.items():
        status = statuses[pk]
        if transition_refusal(current=status, to=S.LIVE, by=By.SELLER):
            continue  # suspended / delisted: the rule book says no; counted as skipped below
        if issues:
            failing[pk] = (status, " ".join(issues))
        else:
            passing.append(pk)
    if passing:
        if shop.on_probation:
            shop = Shop.objects.select_for_update().get(pk=shop.pk)
        refusal = shop_live_refusal(shop=shop, adding=1)
        if refusal:
            result.notes.append(refusal)
            passing_allowed = []
        elif shop.on_probation:
            room = POLICY.probation_live_listing_cap - live_count(shop=shop)
            passing_allowed = passing[: max(room, 0)]
            if len(passing_allowed) < len(passing):
                result.notes.append(shop_live_refusal(shop=shop, adding=len(passing)) or "")
        else:
            passing_allowed = passing
        result.done += _move(shop=shop, actor=actor, ids=passing_allowed, to=S.LIVE, result=result)
        result.skipped += len(passing) - len(passing_allowed)
    if failing:
        now = timezone.now()
        fix = [pk for pk, (status, _) in failing.items() if status != S.ISSUES]
        reasons = {pk: reason for pk, (_, reason) in failing.items()}
        _move(
            shop=shop,
            actor=actor,
            ids=fix,
            to=S.ISSUES,
            result=BulkResult("activate"),
            reasons=reasons,
        )
        products = list(Product.objects.filter(shop=shop, pk__in=list(failing)))
        for product in products:
            product.status_reason, product.updated_at = reasons[product.pk], now
        Product.objects.bulk_update(products, ["status_reason", "updated_at"])
        result.skipped += len(failing)
        result.notes.append(f"{len(failing)} moved to Issues: they fail the listing checks.")
    # Already live, or suspended / delisted (which "activate" never touches).
    result.skipped += len(ids) - len(passing) - len(failing)


def _set_price(*, shop, actor, ids, amount, result):
    # Counted in products, like every bulk action: a product any of whose variants kept its
    # price is "skipped" (the note says why); the others are done.
    base = SKU.objects.filter(shop=shop, product_id__in=ids).exclude(product__status=S.DELETED)
    blocked = set(base.filter(compare_at_price__lte=amount).values_list("product_id", flat=True))
    products = set(base.values_list("product_id", flat=True))
    base.filter(Q(compare_at_price__isnull=True) | Q(compare_at_price__gt=amount)).update(
        price=amount, version=F("version") + 1
    )
    Product.objects.filter(shop=shop, pk__in=ids).update(updated_at=timezone.now())
    result.done += len(products - blocked)
    result.skipped += len(blocked)
    if blocked:
        result.notes.append(
            "Variants whose compare-at price is not above the new price kept their price."
        )


def _set_stock(*, shop, actor, ids, amount, result):
    skus = list(
        SKU.objects.select_for_update()
        .filter(shop=shop, product_id__in=ids)
        .exclude(product__status=S.DELETED)
        .only("id", "product_id", "on_hand", "reserved", "version")
    )
    changes = []
    products, kept = set(), set()  # counted in products, not variants
    for sku in skus:
        products.add(sku.product_id)
        if sku.reserved > amount:
            kept.add(sku.product_id)
            result.notes.append("Variants with more units reserved than that kept their stock.")
        elif sku.on_hand != amount:
            changes.append(StockChange(sku.pk, on_hand=amount - sku.on_hand))
    stock_move_many(
        shop=shop,
        changes=changes,
        reason=StockMovement.Reason.ADJUSTMENT,
        reference="bulk set stock",
        actor=actor,
    )
    Product.objects.filter(shop=shop, pk__in=ids).update(updated_at=timezone.now())
    result.done += len(products - kept)
    result.skipped += len(kept)


_HANDLERS = {
    "activate": _activate,
    "deactivate": _deactivate,
    "delete": _delete,
    "set_price": _set_price,
    "set_stock": _set_stock,
}
