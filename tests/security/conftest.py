import pytest

from tests.factories import OrderFactory, OrderLineFactory, SKUFactory


@pytest.fixture
def world(shop, owner):
    """A shop with one of everything the seller URLs take ids of."""
    sku = SKUFactory(product__shop=shop)
    order = OrderFactory(shop=shop)
    OrderLineFactory(order=order, sku=sku, product=sku.product)
    return shop


# Fixtures of the security suite (tests/security/worlds.py), shared by its modules.
from tests.security.worlds import (  # noqa: E402, F401
    b_world,
    canary_world,
    isolated_storage,
    shop_a_world,
)
