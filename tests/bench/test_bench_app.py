"""The bench's reference views exist only under bench.settings, behind the same tenancy as every
seller page; the product's own settings serve none of them."""

import pytest

from tests.factories import OrderLineFactory

pytestmark = pytest.mark.django_db


def test_the_product_serves_no_bench_view(owner_client, shop):
    assert owner_client.get(f"/shops/{shop.slug}/_bench/trivial/").status_code == 404


def test_bench_settings_mount_the_reference_views_for_members(bench_settings, owner_client, shop):
    order = OrderLineFactory(order__shop=shop).order
    for path in (
        "trivial/",
        "ref/home/",
        "ref/products/",
        "ref/orders/",
        f"ref/orders/{order.pk}/",
    ):
        assert owner_client.get(f"/shops/{shop.slug}/_bench/{path}").status_code == 200, path
    # The product's pages are still there under the bench URLconf.
    assert owner_client.get(f"/shops/{shop.slug}/orders/").status_code == 200


def test_bench_reference_views_refuse_a_stranger(bench_settings, owner_client, other_shop):
    assert owner_client.get(f"/shops/{other_shop.slug}/_bench/ref/orders/").status_code == 404
