"""Reads of the apps a shop has authorized."""

from django.shortcuts import get_object_or_404

from openplatform.models import ShopApp
from shops.models import Shop


def app_list(*, shop: Shop) -> list[ShopApp]:
    return list(ShopApp.objects.filter(shop=shop).select_related("created_by"))


def access_shop_app(shop: Shop, shop_app_id: int) -> ShopApp:
    """The shop's app, or 404 — the same for "missing" and "not yours"."""
    return get_object_or_404(ShopApp.objects.filter(shop=shop), pk=shop_app_id)
