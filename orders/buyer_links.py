"""The buyer's signed links to their order page (and its returns and messages pages).

Buyers have no accounts: the link in their emails is their key. It is signed with the secret
key and a timestamp, and names the order's link version:

- It works while the order is open, and until ``POLICY.buyer_link_valid_days`` after the later
  of the order closing (completed: delivered + the return window; cancelled: placed) and the
  link being issued — so a fresh link emailed later works for a new period.
- Revoking (the buyer's "this link was shared" button) bumps ``Order.buyer_link_version``: every
  link issued before stops working at once.
- An authentic link past its time, or revoked, is ``BuyerLinkExpired``: the page says so and
  offers to email a fresh link to the order's address (never shown in full). A forged or
  foreign link is a 404, as before.

Links from before links expired (no timestamp) count as issued when the order was placed, at
version 0, so the links already in buyers' mailboxes keep working by the same rule.
"""

from datetime import UTC, datetime, timedelta
from functools import wraps

from django.core import signing
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from common.policy import POLICY
from orders.models import Order
from shops.models import Shop

BUYER_LINK_SALT = "orders.buyer-order-page"


class BuyerLinkExpired(Exception):
    """An authentic link that no longer opens its order: past its time, or revoked."""

    def __init__(self, order: Order):
        self.order = order
        super().__init__(f"The link to order {order.number} has expired.")


def buyer_order_token(order: Order) -> str:
    """An unguessable, timestamped token for the buyer's order pages."""
    payload = {"s": order.shop_id, "o": order.pk, "v": order.buyer_link_version}
    return signing.TimestampSigner(salt=BUYER_LINK_SALT).sign_object(payload)


def buyer_link_expires_at(order: Order, issued_at: datetime) -> datetime | None:
    """When a link issued at ``issued_at`` stops working; None while the order is open."""
    if order.status == Order.Status.COMPLETED and order.delivered_at:
        closed = order.delivered_at + timedelta(days=POLICY.return_window_days)
    elif order.status == Order.Status.CANCELLED:
        closed = order.placed_at
    else:
        return None
    return max(closed, issued_at) + timedelta(days=POLICY.buyer_link_valid_days)


def order_from_buyer_token(shop: Shop, token: str, *, now: datetime | None = None) -> Order:
    """The order a working link names; 404 for a forged or another shop's link,
    BuyerLinkExpired for an authentic one past its time or revoked."""
    order, issued_at, version = _authentic(shop, token)
    if version != order.buyer_link_version:
        raise BuyerLinkExpired(order)
    expires_at = buyer_link_expires_at(order, issued_at)
    if expires_at is not None and (now or timezone.now()) >= expires_at:
        raise BuyerLinkExpired(order)
    return order


def order_from_any_buyer_token(shop: Shop, token: str) -> Order:
    """The order an authentic link names, expired or revoked alike (to email a fresh link)."""
    return _authentic(shop, token)[0]


def _authentic(shop: Shop, token: str) -> tuple[Order, datetime, int]:
    try:
        signer = signing.Signer(salt=BUYER_LINK_SALT)
        payload, _, stamp = signer.unsign(token).rpartition(signer.sep)
        if payload:  # timestamped
            data = signing.TimestampSigner(salt=BUYER_LINK_SALT).unsign_object(token)
            issued_at = datetime.fromtimestamp(signing.b62_decode(stamp), tz=UTC)
        else:  # a link from before links expired
            data, issued_at = signing.Signer(salt=BUYER_LINK_SALT).unsign_object(token), None
    except (signing.BadSignature, ValueError):
        raise Http404("No such order.") from None
    if not isinstance(data, dict) or data.get("s") != shop.pk:
        raise Http404("No such order.")
    order = get_object_or_404(Order.objects.filter(shop=shop), pk=data.get("o"))
    return order, issued_at or order.placed_at, data.get("v", 0)


def buyer_link_page(view):
    """For a view taking ``(request, store_slug, token)``: never cached, and an expired or
    revoked link gets the page that offers a fresh one (410) instead of the order."""

    @never_cache
    @wraps(view)
    def page(request, store_slug, token, *args, **kwargs):
        try:
            return view(request, store_slug, token, *args, **kwargs)
        except BuyerLinkExpired as expired:
            order = expired.order
            context = {
                "shop": Shop.objects.get(pk=order.shop_id),
                "masked_email": order.masked_email,
                "token": token,
                "state": "expired",
            }
            return render(request, "orders/store/store_buyer_link.html", context, status=410)

    return page
