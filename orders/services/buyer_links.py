"""Buyers' order links: email a fresh one, and revoke every link issued so far
(the rules of the links themselves: orders.buyer_links)."""

from django.db.models import F

from common.clock import local_date
from common.mail import email_queue
from orders.models import Order
from orders.services.notifications import buyer_order_url
from shops.models import Shop


def buyer_link_send_fresh(*, shop: Shop, order: Order) -> bool:
    """Email a working link to the order's address. At most one a day for each generation of
    links (the outbox key), so the button cannot be used to flood a buyer's inbox. True if an
    email was queued."""
    url = buyer_order_url(order, shop=shop)
    body = (
        f"Hello {order.buyer_name},\n\n"
        f"Here is a fresh link to your order {order.number} at {shop.name}:\n{url}\n\n"
        "Keep it to yourself: anyone with the link can see the order and its delivery address.\n"
    )
    queued = email_queue(
        to=order.buyer_email,
        subject=f"Your order {order.number} at {shop.name}",
        body=body,
        shop_id=shop.pk,
        key=f"buyer-link:{order.pk}:{order.buyer_link_version}:{local_date().isoformat()}",
    )
    return queued is not None


def buyer_link_revoke(*, shop: Shop, order: Order) -> Order:
    """Every link issued so far stops working; a new one is emailed to the buyer."""
    Order.objects.filter(shop=shop, pk=order.pk).update(
        buyer_link_version=F("buyer_link_version") + 1
    )
    order.refresh_from_db(fields=["buyer_link_version"])
    buyer_link_send_fresh(shop=shop, order=order)
    return order
