"""Signed links that let a buyer (not a Seller Center user) open their own order.

The token signs ``{"o": order.pk, "s": shop.pk}`` with the salt "orders.buyer-order"; the
storefront order page and the return / message pages share it. A token for another shop's
order, or a tampered one, is a 404 — the same answer as a missing order.
"""

from django.core import signing
from django.http import Http404

from orders.models import Order
from shops.models import Shop

SALT = "orders.buyer-order"


def make_buyer_token(order: Order) -> str:
    return signing.dumps({"o": order.pk, "s": order.shop_id}, salt=SALT, compress=True)


def order_from_buyer_token(shop: Shop, token: str) -> Order:
    try:
        payload = signing.loads(token, salt=SALT)
    except signing.BadSignature as exc:
        raise Http404("No such order.") from exc
    if not isinstance(payload, dict) or payload.get("s") != shop.pk:
        raise Http404("No such order.")
    order = Order.objects.filter(shop=shop, pk=payload.get("o")).first()
    if order is None:
        raise Http404("No such order.")
    return order
