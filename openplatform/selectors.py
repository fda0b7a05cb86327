"""Reads of the apps a shop has authorized and of its connected inventory store."""

from django.shortcuts import get_object_or_404

from openplatform.models import InventoryConnection, ShopApp, WebhookDelivery
from shops.models import Shop


def app_list(*, shop: Shop) -> list[ShopApp]:
    return list(ShopApp.objects.filter(shop=shop).select_related("created_by"))


def access_shop_app(shop: Shop, shop_app_id: int) -> ShopApp:
    """The shop's app, or 404 — the same for "missing" and "not yours"."""
    return get_object_or_404(ShopApp.objects.filter(shop=shop), pk=shop_app_id)


RECENT_DELIVERIES = 50


def app_list_with_deliveries(*, shop: Shop) -> list[ShopApp]:
    """Settings → Apps: each app with its latest webhook deliveries, in three queries."""
    apps = app_list(shop=shop)
    by_app: dict[int, list[WebhookDelivery]] = {}
    for delivery in WebhookDelivery.objects.filter(shop=shop).select_related("subscription")[
        :RECENT_DELIVERIES
    ]:
        by_app.setdefault(delivery.subscription.app_id, []).append(delivery)
    for app in apps:
        app.recent_deliveries = by_app.get(app.pk, [])
    return apps


def access_webhook_delivery(shop: Shop, webhook_delivery_id: int) -> WebhookDelivery:
    return get_object_or_404(WebhookDelivery.objects.filter(shop=shop), pk=webhook_delivery_id)


def inventory_connection(*, shop: Shop) -> InventoryConnection | None:
    """The shop's connected Shopify store, if any (one per shop)."""
    return InventoryConnection.objects.filter(shop=shop).first()
