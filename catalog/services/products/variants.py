"""Removing a saved variant (SKU) from a product: the product form's "Remove" on a saved row.

A variant that open orders still hold stock of (``SKU.reserved``: orders awaiting shipment,
partly shipped ones included) stays until those orders ship or are cancelled, so no order
loses the stock it was promised. Past orders keep the variant's title and seller SKU on their
lines (the line's link to the SKU is emptied, not the line), and the removal is written to the
shop's security log with what the variant was and the stock it held."""

from django.db import transaction
from django.utils import timezone

from accounts import audit
from catalog.models import SKU, Product
from catalog.services.alerts import inventory_figure_forget
from catalog.services.products.status import Outcome, S, recheck_listing
from common.errors import NotFound, Refused
from shops import activity
from shops.models import Shop


@transaction.atomic
def sku_remove(*, shop: Shop, actor, product: Product, sku_id: int) -> Outcome:
    """Remove one of ``product``'s variants. Refused while units are reserved for open orders,
    and for the product's last variant; a live product that no longer passes the listing
    checks without it goes to "issues", as after any edit."""
    product = Product.objects.select_for_update().get(shop=shop, pk=product.pk)
    sku = SKU.objects.select_for_update().filter(shop=shop, product=product, pk=sku_id).first()
    if sku is None:
        raise NotFound("This variant is not in this product any more.")
    if product.status == S.DELETED:
        raise Refused("This product is deleted; recover it before editing.")
    if sku.reserved:
        units = "1 unit is" if sku.reserved == 1 else f"{sku.reserved} units are"
        raise Refused(
            f"{sku.seller_sku} cannot be removed: {units} reserved for open orders. "
            "Ship or cancel those orders first."
        )
    if not SKU.objects.filter(shop=shop, product=product).exclude(pk=sku.pk).exists():
        raise Refused(
            f"{sku.seller_sku} is the product's only variant: add another before removing it."
        )
    audit.record(
        actor=actor,
        action="product.variant_removed",
        shop=shop,
        target=product,
        changes={
            "variant": (f"{sku.seller_sku} ({sku.label})", None),
            "price": (sku.price, None),
            "on hand": (sku.on_hand, None),
        },
    )
    sku.delete()  # its stock movements and alerts go with it; order lines keep their copy
    product.updated_at = timezone.now()
    product.save(update_fields=["updated_at"])
    inventory_figure_forget(shop)
    outcome = recheck_listing(shop=shop, actor=actor, product=product)
    rest = outcome.notice.removeprefix("Saved").lstrip(".;").strip()
    outcome.notice = f"Variant {sku.seller_sku} removed." + (
        f" {rest[:1].upper()}{rest[1:]}" if rest else ""
    )
    activity.record(shop=shop, kind=activity.Kind.PRODUCT_MODIFIED, actor=actor)
    outcome.product.refresh_from_db(fields=["status"])  # the page's badge follows a re-check
    return outcome
