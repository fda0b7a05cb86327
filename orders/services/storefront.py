"""Storefront analytics writes: visits and product views with their traffic source."""

from catalog.models import Product
from orders.models import Visit
from shops.models import Shop


def visit_record(*, shop: Shop, product: Product | None, visitor_key: str, source: str) -> Visit:
    """A storefront visit (product None) or a product view, for the traffic-source reports."""
    if source not in Visit.Source.values:
        source = Visit.Source.EXTERNAL
    return Visit.objects.create(
        shop=shop, product=product, visitor_key=visitor_key[:64], source=source
    )
