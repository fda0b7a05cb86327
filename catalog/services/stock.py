"""Catalog writes. Stock changes are conditional UPDATEs, or UPDATEs of rows locked first: no
read-modify-write races."""

from django.db import transaction
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Value, When

from catalog.models import SKU, StockAlert, StockMovement
from catalog.services.alerts import stock_alerts_refresh
from shops.models import Shop


class OutOfStock(Exception):
    def __init__(self, sku_id: int, requested: int):
        self.sku_id, self.requested = sku_id, requested
        super().__init__(f"Not enough stock for SKU {sku_id} (asked for {requested}).")


def stock_reserve(
    *, shop: Shop, sku_id: int, quantity: int, reference: str = "", actor=None
) -> None:
    """Reserve ``quantity`` units atomically, or raise OutOfStock and change nothing."""
    stock_reserve_many(shop=shop, quantities={sku_id: quantity}, reference=reference, actor=actor)


def stock_reserve_many(
    *, shop: Shop, quantities: dict[int, int], reference: str = "", actor=None
) -> None:
    """Reserve every ``sku id → quantity`` of a cart, all or nothing: OutOfStock names the first
    short SKU (by id) and nothing is changed.

    Three statements whatever the number of SKUs: the rows are locked in one SELECT … ORDER BY
    id FOR NO KEY UPDATE (two carts sharing SKUs queue in id order instead of deadlocking; the
    foreign-key checks of orders and movements still pass), which also says which have an open
    alert, checked against the locked stock, raised in one UPDATE, and written to the ledger in
    one INSERT; the alerts are refreshed (more statements) only when one may open or close. The
    CHECK constraint on SKU is the backstop. Inside a caller's transaction no savepoint is made
    (a refusal writes nothing), so the locks are held until the caller commits.
    """
    if not quantities or any(q <= 0 for q in quantities.values()):
        raise ValueError("Quantities must be positive.")
    short = None
    with transaction.atomic(savepoint=False):
        open_alert = StockAlert.objects.filter(
            shop=shop, sku=OuterRef("pk"), resolved_at__isnull=True
        )
        skus = list(
            SKU.objects.select_for_update(no_key=True)
            .filter(shop=shop, pk__in=list(quantities))
            .annotate(alert_open=Exists(open_alert))
            .order_by("pk")
            .only("id", "on_hand", "reserved", "low_stock_threshold")
        )
        found = {sku.pk: sku for sku in skus}
        short = next(
            (
                sku_id
                for sku_id in sorted(quantities)
                if sku_id not in found or found[sku_id].available < quantities[sku_id]
            ),
            None,
        )
        if short is None:
            SKU.objects.filter(shop=shop, pk__in=list(found)).update(
                reserved=F("reserved")
                + Case(
                    *(When(pk=sku_id, then=Value(q)) for sku_id, q in quantities.items()),
                    output_field=IntegerField(),
                )
            )
            StockMovement.objects.bulk_create(
                StockMovement(
                    shop=shop,
                    sku_id=sku.pk,
                    reserved_delta=quantities[sku.pk],
                    reason=StockMovement.Reason.ORDER,
                    reference=reference,
                    actor=actor,
                )
                for sku in skus
            )
            for sku in skus:
                sku.reserved += quantities[sku.pk]
            # Reserving only lowers stock: with no SKU low or out now and none with an open
            # alert, there is nothing to open or close.
            if any(sku.alert_open or sku.stock_state(shop) != "in" for sku in skus):
                stock_alerts_refresh(shop=shop, sku_ids=list(found), current=skus)
    if short is not None:
        raise OutOfStock(short, quantities[short])


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
