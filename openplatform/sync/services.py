"""Connecting a Shopify store and syncing its stock levels into this shop.

The sync reads everything first (the store's variants, then the levels of those whose SKU code
is one of this shop's), so a store that refuses or fails writes nothing. Then each matched SKU
whose on hand differs is set to the store's available units, summed over its locations: one
stock movement with the reason "sync" through the stock writer (catalog.services.stock), in
chunks so checkouts never wait long behind the sync's row locks. A level already equal writes
nothing. The sync is automated, so it records no seller activity (SPEC §9.1 counts what the
seller does; a sync is the store's doing, and "Sync now" is pressed by a seller already signed in).
"""

import re
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts import audit, crypto
from catalog.models import SKU, StockMovement
from catalog.services import StockChange, stock_move_many
from common.errors import BadInput, Refused
from common.mail import claimable
from openplatform.models import InventoryConnection
from openplatform.sync.shopify import ShopifyAdmin, ShopifyError
from shops.models import Shop

STORE_DOMAIN = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}\.myshopify\.com$")
CLAIM_STALE_AFTER = timedelta(minutes=30)
APPLY_CHUNK = 500  # SKUs locked and written per transaction
MAX_NOTES = 50
UNMATCHED_SHOWN = 20
Outcome = InventoryConnection.Outcome


@dataclass
class SyncCounts:
    matched: int = 0
    changed: int = 0
    unmatched: int = 0
    notes: list[str] = field(default_factory=list)

    def note(self, line: str) -> None:
        if len(self.notes) < MAX_NOTES:
            self.notes.append(line)


def store_connect(
    *, shop: Shop, actor, store_domain: str, access_token: str, ip: str | None = None
) -> InventoryConnection:
    """Connect (or reconnect, with a new token) the shop's Shopify store. The token is
    encrypted at rest; nothing calls the store until the first sync."""
    domain = store_domain_clean(store_domain)
    token = (access_token or "").strip()
    if not token or len(token) > 255 or not token.isascii() or any(c.isspace() for c in token):
        raise BadInput(
            "Paste the store's Admin API access token (it starts with shpat_).",
            field="access_token",
        )
    with transaction.atomic():
        connection, created = InventoryConnection.objects.update_or_create(
            shop=shop,
            defaults={
                "store_domain": domain,
                "token_encrypted": crypto.encrypt(token),
                "token_hint": token[-4:],
                "created_by": actor,
                "created_at": timezone.now(),
                "last_outcome": "",
                "last_error": "",
                "last_notes": [],
            },
        )
        audit.record(
            actor=actor, action="inventory_sync.connected", shop=shop, target=connection,
            changes={"store_domain": (None if created else "(previous)", domain)}, ip=ip,
        )  # fmt: skip
    return connection


def store_disconnect(*, shop: Shop, actor, ip: str | None = None) -> None:
    """Forget the store and its token; stock stays as the last sync left it."""
    with transaction.atomic():
        connection = InventoryConnection.objects.filter(shop=shop).first()
        if connection is None:
            raise Refused("No store is connected.")
        audit.record(
            actor=actor, action="inventory_sync.disconnected", shop=shop, target=connection,
            changes={"store_domain": (connection.store_domain, None)}, ip=ip,
        )  # fmt: skip
        connection.delete()


def inventory_sync_request(*, shop: Shop) -> None:
    """ "Sync now": queue the sync after this commit, unless one is running."""
    from openplatform.tasks import inventory_sync_task

    connection = InventoryConnection.objects.filter(shop=shop).first()
    if connection is None:
        raise Refused("Connect a Shopify store first.")
    now = timezone.now()
    if connection.sync_claimed_at and connection.sync_claimed_at > now - CLAIM_STALE_AFTER:
        raise Refused("A sync is running now; its result shows here when it ends.")
    inventory_sync_task.delay_on_commit(shop_id=shop.pk)


def inventory_sync(*, shop: Shop, client: ShopifyAdmin | None = None) -> str:
    """Pull the connected store's stock levels into this shop's matching SKUs, and record the
    outcome on the connection. Returns "synced", "failed" or "skipped" (none, or one running)."""
    now = timezone.now()
    claimed = (
        InventoryConnection.objects.filter(shop=shop)
        .filter(claimable("sync_claimed_at", now=now, stale_after=CLAIM_STALE_AFTER))
        .update(sync_claimed_at=now)
    )
    if not claimed:
        return "skipped"
    connection = InventoryConnection.objects.get(shop=shop)
    try:
        if client is None:
            client = ShopifyAdmin(
                domain=connection.store_domain, token=crypto.decrypt(connection.token_encrypted)
            )
        counts = _pull_and_apply(shop=shop, connection=connection, client=client)
    except (ShopifyError, crypto.DecryptionError) as failure:
        message = str(failure)
        if isinstance(failure, crypto.DecryptionError):
            message = "The stored access token can no longer be read: connect the store again."
        _finish(connection, Outcome.FAILED, SyncCounts(), error=message)
        return "failed"
    except BaseException:
        InventoryConnection.objects.filter(pk=connection.pk).update(sync_claimed_at=None)
        raise
    _finish(connection, Outcome.OK, counts)
    return "synced"


def store_domain_clean(value: str) -> str:
    """``https://My-Store.myshopify.com/admin`` → ``my-store.myshopify.com``, or BadInput."""
    domain = (value or "").strip().lower().removeprefix("https://").removeprefix("http://")
    domain = domain.split("/", 1)[0]
    if not STORE_DOMAIN.fullmatch(domain):
        raise BadInput(
            "Give the store's Shopify address, like your-store.myshopify.com.",
            field="store_domain",
        )
    return domain


def _pull_and_apply(*, shop: Shop, connection, client: ShopifyAdmin) -> SyncCounts:
    counts = SyncCounts()
    items: dict[str, int] = {}
    for variant in client.variants():
        if variant.sku in items:
            counts.note(f"{variant.sku}: more than one Shopify variant has it; the first is used.")
            continue
        items[variant.sku] = variant.inventory_item_id
    ours: dict[str, int] = {}
    codes = sorted(items)
    for start in range(0, len(codes), APPLY_CHUNK):
        ours.update(
            SKU.objects.filter(shop=shop, seller_sku__in=codes[start : start + APPLY_CHUNK])
            .values_list("seller_sku", "pk")
        )  # fmt: skip
    unmatched = [code for code in codes if code not in ours]
    counts.matched, counts.unmatched = len(ours), len(unmatched)
    if unmatched:
        more = len(unmatched) - UNMATCHED_SHOWN
        counts.note(
            "Not in this shop: " + ", ".join(unmatched[:UNMATCHED_SHOWN])
            + (f" and {more} more" if more > 0 else "") + "."
        )  # fmt: skip
    levels = client.available(sorted(items[code] for code in ours))
    wanted: dict[int, int] = {}
    for code, sku_id in sorted(ours.items()):
        level = levels.get(items[code])
        if level is None:
            counts.note(f"{code}: Shopify tracks no stock for it at any location; left as it is.")
        else:
            wanted[sku_id] = max(level, 0)
    sku_ids = sorted(wanted)
    for start in range(0, len(sku_ids), APPLY_CHUNK):
        chunk = {pk: wanted[pk] for pk in sku_ids[start : start + APPLY_CHUNK]}
        counts.changed += _apply(shop=shop, connection=connection, wanted=chunk, counts=counts)
    return counts


@transaction.atomic
def _apply(*, shop: Shop, connection, wanted: dict[int, int], counts: SyncCounts) -> int:
    """Set these SKUs' on hand to the store's levels under their row locks; returns SKUs moved."""
    changes = []
    for sku in (
        SKU.objects.select_for_update(no_key=True)
        .filter(shop=shop, pk__in=list(wanted))
        .order_by("pk")
        .only("id", "seller_sku", "on_hand", "reserved")
    ):
        level = wanted[sku.pk]
        if level == sku.on_hand:
            continue
        if level < sku.reserved:
            counts.note(
                f"{sku.seller_sku}: Shopify has {level}, below the {sku.reserved} units reserved "
                "for open orders here; left as it is."
            )
            continue
        changes.append(StockChange(sku.pk, on_hand=level - sku.on_hand))
    stock_move_many(
        shop=shop, changes=changes, reason=StockMovement.Reason.SYNC,
        reference=f"shopify:{connection.store_domain}"[:64],
    )  # fmt: skip
    return len(changes)


def _finish(connection, outcome: str, counts: SyncCounts, *, error: str = "") -> None:
    InventoryConnection.objects.filter(pk=connection.pk).update(
        sync_claimed_at=None,
        last_sync_at=timezone.now(),
        last_outcome=outcome,
        last_error=error[:500],
        last_matched=counts.matched,
        last_changed=counts.changed,
        last_unmatched=counts.unmatched,
        last_notes=counts.notes,
    )
