"""Signals the returns domain sends, so the domains above it (finance) act on a return without
returns importing them."""

from django.dispatch import Signal

# Sent inside the refund's transaction, so a receiver that raises rolls the refund back.
# Arguments: shop, return_request, amount (the money refunded, after any restocking fee), actor.
return_refunded = Signal()
