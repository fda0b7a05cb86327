"""Emails to buyers. Buyers have no accounts: each email carries the signed link to their
order page (``orders.selectors.buyer_order_token``)."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django_scopes import scope

from orders.models import Order
from orders.selectors import buyer_order_token
from shops.models import Shop


def buyer_order_url(order: Order, *, shop: Shop) -> str:
    """The absolute link to the buyer's order page."""
    path = reverse(
        "store:buyer_order", kwargs={"store_slug": shop.slug, "token": buyer_order_token(order)}
    )
    return settings.PUBLIC_SITE_URL.rstrip("/") + path


def order_confirmation_send(*, shop: Shop, order_id: int) -> None:
    with scope(shop=shop):
        order = Order.objects.filter(shop=shop, pk=order_id).first()
        if order is None:
            return
        context = {
            "order": order,
            "shop": shop,
            "lines": list(order.lines.all()),
            "url": buyer_order_url(order, shop=shop),
        }
        send_mail(
            subject=f"Your order {order.number} from {shop.name}",
            message=render_to_string("orders/email/order_confirmation.txt", context),
            from_email=None,
            recipient_list=[order.buyer_email],
        )
