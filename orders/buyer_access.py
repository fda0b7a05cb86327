"""Signed links that let a buyer (not a Seller Center user) open their own order.

One token for everything a buyer does about an order — the order page from the confirmation
email, return requests and messages: ``orders.selectors.buyer_order_token``. A token for
another shop's order, or a tampered one, is a 404 — the same answer as a missing order.
"""

from orders.selectors import buyer_order_token as make_buyer_token
from orders.selectors import order_from_buyer_token

__all__ = ["make_buyer_token", "order_from_buyer_token"]
