"""The buyer's pages about one order (messages, returns), reached through the signed link."""

from functools import wraps

from django_scopes import scope

from orders.buyer_links import buyer_link_page, order_from_buyer_token
from orders.views.storefront import buyer_post_throttled, store_or_404, too_many_posts


def buyer_order_page(view):
    """For a view taking ``(request, shop, order)``: the store (404 when there is none), the
    buyer's posting throttle (429), then the view inside the shop's scope with the link's order.
    An expired or revoked link gets the page that offers a fresh one (``buyer_link_page``)."""

    @buyer_link_page
    @wraps(view)
    def page(request, store_slug: str, token: str):
        shop = store_or_404(store_slug)
        if buyer_post_throttled(request, shop):
            return too_many_posts()
        with scope(shop=shop):
            return view(request, shop, order_from_buyer_token(shop, token))

    return page
