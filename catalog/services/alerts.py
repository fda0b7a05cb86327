"""Low-stock and out-of-stock alerts (SPEC §5): raised when a SKU crosses its threshold.

``stock_alerts_refresh`` runs after every stock change for the SKUs it touched: it opens an
alert when a SKU crosses into low or out of stock, upgrades low → out, and closes the alert when
stock recovers. The daily digest mails the alerts raised since the last digest, once each.
"""

from collections import defaultdict

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from catalog.models import SKU, StockAlert
from catalog.selectors import INVENTORY_FIGURE
from catalog.signals import stock_alerts_opened
from common.figures import shop_figure_forget
from common.mail import email_queue
from shops.models import Membership, Role, Shop


def stock_alerts_refresh(
    *, shop: Shop, sku_ids: list[int], current: list[SKU] | None = None
) -> int:
    """Open/close alerts for these SKUs from their current stock; returns alerts opened.

    ``current``: the SKUs with their stock as the caller just wrote it under the rows' locks
    (checkout's reservation), which saves reading them again."""
    if not sku_ids:
        return 0
    now = timezone.now()
    skus = (
        current
        if current is not None
        else list(
            SKU.objects.filter(shop=shop, pk__in=sku_ids).only(
                "id", "on_hand", "reserved", "low_stock_threshold"
            )
        )
    )
    open_alerts = {
        a.sku_id: a
        for a in StockAlert.objects.filter(shop=shop, sku_id__in=sku_ids, resolved_at__isnull=True)
    }
    to_close, to_open = [], []
    for sku in skus:
        state = sku.stock_state(shop)
        alert = open_alerts.get(sku.pk)
        if state == "in":
            if alert:
                to_close.append(alert.pk)
        elif alert is None:
            to_open.append(StockAlert(shop=shop, sku=sku, kind=state, available=sku.available))
        elif alert.kind == StockAlert.Kind.LOW and state == "out":
            to_close.append(alert.pk)
            to_open.append(StockAlert(shop=shop, sku=sku, kind=state, available=sku.available))
    if to_close:
        StockAlert.objects.filter(pk__in=to_close).update(resolved_at=now)
    if to_open:
        # Concurrent checkouts may race to open the same alert: the partial unique index keeps one.
        StockAlert.objects.bulk_create(to_open, ignore_conflicts=True)
        # Webhooks (stock.low) are written in this transaction. A lost race above may send one
        # twice; deliveries are at least once anyway.
        stock_alerts_opened.send(sender=StockAlert, shop=shop, alerts=to_open)
    if to_open or to_close:
        # A SKU crossed into or out of low / out of stock: Home's counts moved.
        inventory_figure_forget(shop)
    return len(to_open)


def inventory_figure_forget(shop: Shop) -> None:
    """Home's low / out-of-stock counts are recomputed on the next view, after this commit."""
    shop_figure_forget(shop.pk, INVENTORY_FIGURE)


def stock_alert_digest_send() -> int:
    """Mail each shop's undigested alerts to its owners and managers; returns emails queued.

    Claims the alerts with a conditional UPDATE first, so a re-run (or two workers) never mails
    the same alert twice.
    """
    sent = 0
    with scopes_disabled():
        shop_ids = list(
            StockAlert.objects.filter(digested_at__isnull=True)
            .values_list("shop_id", flat=True)
            .distinct()
        )
    for shop_id in shop_ids:
        with scopes_disabled():
            shop = Shop.objects.get(pk=shop_id)
        with scope(shop=shop):
            sent += _digest_one_shop(shop)
    return sent


@transaction.atomic
def _digest_one_shop(shop: Shop) -> int:
    now = timezone.now()
    ids = list(
        StockAlert.objects.select_for_update(skip_locked=True)
        .filter(shop=shop, digested_at__isnull=True)
        .values_list("pk", flat=True)
    )
    claimed = StockAlert.objects.filter(pk__in=ids, digested_at__isnull=True).update(
        digested_at=now
    )
    if not claimed:
        return 0
    alerts = list(
        StockAlert.objects.filter(pk__in=ids)
        .select_related("sku", "sku__product")
        .order_by("kind", "sku__seller_sku")
    )
    by_kind = defaultdict(list)
    for alert in alerts:
        by_kind[alert.kind].append(alert)
    recipients = list(
        Membership.objects.filter(shop=shop, role__in=[Role.OWNER, Role.MANAGER]).values_list(
            "user__email", flat=True
        )
    )
    if not recipients:
        return 0
    body = render_to_string(
        "catalog/email/stock_alert_digest.txt",
        {"shop": shop, "out": by_kind["out"], "low": by_kind["low"]},
    )
    subject = (
        f"[Seller Center] {shop.name}: {len(by_kind['out'])} out of stock, "
        f"{len(by_kind['low'])} low on stock"
    )
    email_queue(to=recipients, subject=subject, body=body, shop_id=shop.pk)
    return 1
