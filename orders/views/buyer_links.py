"""The buyer's link pages: email me a fresh link (from an expired or revoked link) and replace
this link (from a working one). Both POST only, throttled like every buyer post."""

from django.shortcuts import render
from django.views.decorators.http import require_POST
from django_scopes import scope

from orders.buyer_links import buyer_link_page, order_from_any_buyer_token, order_from_buyer_token
from orders.services.buyer_links import buyer_link_revoke, buyer_link_send_fresh
from orders.views.storefront import buyer_post_throttled, store_or_404, too_many_posts


@require_POST
@buyer_link_page
def store_buyer_link_fresh(request, store_slug, token):
    def send(shop):
        order = order_from_any_buyer_token(shop, token)
        return order, {"state": "sent", "queued": buyer_link_send_fresh(shop=shop, order=order)}

    return _buyer_link_post(request, store_slug, send)


@require_POST
@buyer_link_page
def store_buyer_link_revoke(request, store_slug, token):
    def revoke(shop):
        order = buyer_link_revoke(shop=shop, order=order_from_buyer_token(shop, token))
        return order, {"state": "revoked"}

    return _buyer_link_post(request, store_slug, revoke)


def _buyer_link_post(request, store_slug, act):
    shop = store_or_404(store_slug)
    if buyer_post_throttled(request, shop):
        return too_many_posts()
    with scope(shop=shop):
        order, context = act(shop)
    context.update(shop=shop, masked_email=order.masked_email)
    return render(request, "orders/store/store_buyer_link.html", context)
