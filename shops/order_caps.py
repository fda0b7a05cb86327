"""Daily order caps: how many orders a shop may accept per platform calendar day.

Two rules can cap a shop — probation (SPEC §3) and an inactivity investigation (SPEC §9.2) — each
with its own number. Checkout and Home's remaining-capacity tile use the effective cap, the
stricter of those that apply; pages about one rule name that rule's cap.
"""

from common.policy import POLICY
from shops.models import Shop


def probation_daily_order_cap(shop: Shop) -> int | None:
    """The probation cap while the shop is on probation; None otherwise."""
    return POLICY.probation_daily_order_cap if shop.on_probation else None


def investigation_daily_order_cap(shop: Shop) -> int | None:
    """The investigation cap while the shop is under an inactivity investigation; None otherwise."""
    return POLICY.investigation_daily_order_cap if shop.in_investigation else None


def effective_daily_order_cap(shop: Shop) -> int | None:
    """The cap checkout enforces today: the stricter of the caps that apply; None if none does."""
    caps = [
        cap
        for cap in (probation_daily_order_cap(shop), investigation_daily_order_cap(shop))
        if cap is not None
    ]
    return min(caps, default=None)
