"""Seller list pages cost a fixed number of SQL queries whatever the data size."""

import pytest
from django.urls import reverse

from tests.factories import OrderFactory, OrderLineFactory, SKUFactory
from tests.queries import page_queries

pytestmark = pytest.mark.django_db


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
    small = page_queries(owner_client, url)
    grow(shop, 60)
    assert page_queries(owner_client, url) == small
