"""Seller list pages cost a fixed number of SQL queries whatever the data size."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import OrderFactory, OrderLineFactory, SKUFactory

pytestmark = pytest.mark.django_db


def count_queries(client, url) -> int:
    # A cold cache: the request that computes the shared per-shop figures (common.figures) is
    # the one whose cost must not grow; a warm one only runs fewer queries.
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    ("url_name", "grow"),
    [
        (
            "catalog:product_list",
            lambda shop, n: [SKUFactory(product__shop=shop) for _ in range(n)],
        ),
        (
            "orders:order_list",
            lambda shop, n: [OrderLineFactory(order=OrderFactory(shop=shop)) for _ in range(n)],
        ),
        ("home", lambda shop, n: [OrderFactory(shop=shop) for _ in range(n)]),
    ],
)
def test_list_page_query_count_does_not_grow_with_rows(owner_client, shop, url_name, grow):
    url = reverse(url_name, kwargs={"shop_slug": shop.slug})
    grow(shop, 3)
    small = count_queries(owner_client, url)
    grow(shop, 60)
    assert count_queries(owner_client, url) == small
