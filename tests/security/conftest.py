import pytest

from tests.factories import OrderFactory, OrderLineFactory, SKUFactory


@pytest.fixture
def world(shop, owner):
    """A shop with one of everything the seller URLs take ids of."""
    sku = SKUFactory(product__shop=shop)
    order = OrderFactory(shop=shop)
    OrderLineFactory(order=order, sku=sku, product=sku.product)
    return shop
