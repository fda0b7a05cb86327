"""The cached reverse gives exactly what reverse() gives, for every integer value and shop."""

import pytest
from django.urls import reverse

from shops.urlcache import fast_reverse


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("home", {"shop_slug": "acme"}),
        ("catalog:product_detail", {"shop_slug": "acme", "product_id": 1}),
        ("catalog:product_detail", {"shop_slug": "other-shop", "product_id": 9_876_543_210}),
        ("catalog:product_sku_inline", {"shop_slug": "acme", "sku_id": 0}),
        ("orders:order_detail", {"shop_slug": "acme", "order_id": 42}),
    ],
)
def test_fast_reverse_equals_reverse(name, kwargs):
    assert fast_reverse(name, **kwargs) == reverse(name, kwargs=kwargs)
    # the second call comes from the cache and still puts this call's values in
    assert fast_reverse(name, **kwargs) == reverse(name, kwargs=kwargs)


def test_the_shop_slug_is_part_of_the_cached_shape():
    a = fast_reverse("catalog:product_detail", shop_slug="a", product_id=7)
    b = fast_reverse("catalog:product_detail", shop_slug="b", product_id=7)
    assert a == "/shops/a/products/7/" and b == "/shops/b/products/7/"


def test_product_list_rows_link_to_each_product(owner_client, shop):
    from tests.factories import ProductFactory

    products = [ProductFactory(shop=shop, title=f"Row {i}") for i in range(3)]
    body = owner_client.get(reverse("catalog:product_list", kwargs={"shop_slug": shop.slug}))
    html = body.content.decode()
    for p in products:
        assert (
            reverse("catalog:product_detail", kwargs={"shop_slug": shop.slug, "product_id": p.pk})
            in html
        )
