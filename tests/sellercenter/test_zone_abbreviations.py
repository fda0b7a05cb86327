"""A time a person reads in a table or a history carries the platform zone's abbreviation: the
order list and page, returns, finance, messages, imports, stock alerts, a product's history and
the shop's activity log print "23:30 PST" for the fixed instant of test_one_clock, not a bare
"23:30" a reader could take for their own clock."""

import pytest
from django.urls import reverse
from django_scopes import scope

from catalog.models import ImportJob, StockAlert
from tests.factories import OrderFactory, SKUFactory, sign_in_verified
from tests.sellercenter.test_one_clock import (
    INSTANT,
    _finance,
    _message,
    _order,
    _product,
    _return,
    _settings,
)

pytestmark = pytest.mark.django_db


def _order_list(shop, owner):
    with scope(shop=shop):
        OrderFactory(shop=shop, placed_at=INSTANT)
    return reverse("orders:order_list", kwargs={"shop_slug": shop.slug})


def _return_list(shop, owner):
    _return(shop, owner)
    return reverse("orders:return_list", kwargs={"shop_slug": shop.slug})


def _imports(shop, owner):
    with scope(shop=shop):
        ImportJob.objects.create(shop=shop, filename="stock.csv", file="x", created_at=INSTANT)
    return reverse("catalog:product_import", kwargs={"shop_slug": shop.slug})


def _alerts(shop, owner):
    with scope(shop=shop):
        sku = SKUFactory(product__shop=shop, on_hand=0)
        StockAlert.objects.create(shop=shop, sku=sku, kind="out", available=0, created_at=INSTANT)
    return reverse("catalog:product_alerts", kwargs={"shop_slug": shop.slug})


def _inventory_sync(shop, owner):
    from openplatform.models import InventoryConnection

    InventoryConnection.objects.create(
        shop=shop, store_domain="demo.myshopify.com", token_encrypted="x", created_at=INSTANT,
        last_sync_at=INSTANT, last_outcome="ok",
    )  # fmt: skip
    return reverse("openplatform:inventory_sync", kwargs={"shop_slug": shop.slug})


@pytest.mark.parametrize(
    "page",
    [_order_list, _order, _return_list, _return, _finance, _message, _imports, _alerts,
     _product, _settings, _inventory_sync],
    ids=lambda f: f.__name__[1:],
)  # fmt: skip
def test_each_time_shown_names_the_platform_time_zone(owner_client, shop, owner, page):
    sign_in_verified(owner_client, owner)  # finance and settings need the second factor
    response = owner_client.get(page(shop, owner))
    assert response.status_code == 200
    html = response.content.decode()
    assert "23:30 PST" in html
    assert "23:30<" not in html and "23:30 ·" not in html  # no bare time left beside it
