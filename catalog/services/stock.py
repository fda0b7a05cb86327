"""Catalog writes. Stock changes are single conditional UPDATEs: no read-modify-write races."""

from django.db import transaction
from django.db.models import F

from catalog.models import SKU, StockMovement
from catalog.services.alerts import stock_alerts_refresh
from shops.models import Shop


class OutOfStock(Exception):
    def __init__(self, sku_id: int, requested: int):
        self.sku_id, self.requested = sku_id, requested
        super().__init__(f"Not enough stock for SKU {sku_id} (asked for {requested}).")


def stock_reserve(
    *, shop: Shop, sku_id: int, quantity: int, reference: str = "", actor=None
) -> None:
    """Reserve ``quantity`` units atomically, or raise OutOfStock and change nothing.

    One conditional UPDATE: concurrent reservations can never take available below zero; the
    CHECK constraint on SKU is the backstop.
    """
    if quantity <= 0:
        raise ValueError("Quantity must be positive.")
    with transaction.atomic():
        updated = SKU.objects.filter(
            shop=shop, pk=sku_id, on_hand__gte=F("reserved") + quantity
        ).update(reserved=F("reserved") + quantity)
        if not updated:
            raise OutOfStock(sku_id, quantity)
        StockMovement.objects.create(
            shop=shop,
            sku_id=sku_id,
            reserved_delta=quantity,
            reason=StockMovement.Reason.ORDER,
            reference=reference,
            actor=actor,
        )
        stock_alerts_refresh(shop=shop, sku_ids=[sku_id])


def stock_release(
    *, shop: Shop, sku_id: int, quantity: int, reason: str, reference: str = "", actor=None
) -> None:
    """Give back reserved units (cancellation before shipment)."""
    with transaction.atomic():
        SKU.objects.filter(shop=shop, pk=sku_id).update(reserved=F("reserved") - quantity)
        StockMovement.objects.create(
            shop=shop,
            sku_id=sku_id,
            reserved_delta=-quantity,
            reason=reason,
            reference=reference,
            actor=actor,
        )
        stock_alerts_refresh(shop=shop, sku_ids=[sku_id])


def stock_ship(*, shop: Shop, sku_id: int, quantity: int, reference: str = "", actor=None) -> None:
    """Reserved units leave the warehouse: on hand and reserved both drop."""
    with transaction.atomic():
        # On hand changes, so a seller's open inline edit of this SKU must not overwrite it.
        SKU.objects.filter(shop=shop, pk=sku_id).update(
            reserved=F("reserved") - quantity,
            on_hand=F("on_hand") - quantity,
            version=F("version") + 1,
        )
        StockMovement.objects.create(
            shop=shop,
            sku_id=sku_id,
            on_hand_delta=-quantity,
            reserved_delta=-quantity,
            reason=StockMovement.Reason.ORDER,
            reference=reference,
            actor=actor,
        )


def stock_adjust(
    *,
    shop: Shop,
    sku_id: int,
    delta: int,
    reason: str = StockMovement.Reason.ADJUSTMENT,
    reference: str = "",
    actor=None,
) -> None:
    """Add or remove on-hand units; never below what is reserved (the CHECK refuses it)."""
    with transaction.atomic():
        updated = SKU.objects.filter(
            shop=shop, pk=sku_id, on_hand__gte=F("reserved") - delta
        ).update(on_hand=F("on_hand") + delta, version=F("version") + 1)
        if not updated:
            raise OutOfStock(sku_id, -delta)
        StockMovement.objects.create(
            shop=shop,
            sku_id=sku_id,
            on_hand_delta=delta,
            reason=reason,
            reference=reference,
            actor=actor,
        )
        stock_alerts_refresh(shop=shop, sku_ids=[sku_id])
