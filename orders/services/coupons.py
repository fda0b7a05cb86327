"""Coupon writes (issue 7): create, change, end. Errors carry the seller's message."""

import re
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts import audit
from orders.models import Coupon
from orders.services.errors import InvalidInput, Refused
from orders.services.pricing import normalise_code
from shops.models import Shop

CODE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{2,31}$")
MAX_AMOUNT = Decimal("100000")


def coupon_save(
    *,
    shop: Shop,
    actor,
    coupon: Coupon | None = None,
    code: str,
    kind: str,
    value: Decimal | None,
    min_spend: Decimal | None,
    starts_at: datetime | None,
    ends_at: datetime | None,
    usage_limit: int | None,
    per_buyer_limit: int | None,
    now: datetime | None = None,
) -> Coupon:
    """Create a coupon (``coupon=None``) or change one that has not ended."""
    now = now or timezone.now()
    if coupon is not None and now >= coupon.ends_at:
        raise Refused("This coupon has ended; create a new one instead.")
    code = normalise_code(code)
    if not CODE.match(code):
        raise InvalidInput(
            "A coupon code is 3–32 letters, digits, hyphens or underscores.", field="code"
        )
    if kind not in Coupon.Kind.values:
        raise InvalidInput("Choose percentage off or a fixed amount off.", field="kind")
    if value is None or not value.is_finite():
        raise InvalidInput("Enter the coupon's value as a number.", field="value")
    if value < 0:
        raise InvalidInput("A coupon cannot be below 0.", field="value")
    if value == 0:
        raise InvalidInput("A coupon must be worth more than 0.", field="value")
    if kind == Coupon.Kind.PERCENT and value > 100:
        raise InvalidInput("A coupon cannot be more than 100%.", field="value")
    if kind == Coupon.Kind.FIXED and value > MAX_AMOUNT:
        raise InvalidInput(f"A fixed coupon must be at most ${MAX_AMOUNT:,}.", field="value")
    min_spend = min_spend or Decimal("0")
    if min_spend < 0 or min_spend > MAX_AMOUNT:
        raise InvalidInput("The minimum spend must be between 0 and 100,000.", field="min_spend")
    if starts_at is None or ends_at is None:
        raise InvalidInput("Enter when the coupon starts and ends.", field="ends_at")
    if ends_at <= starts_at:
        raise InvalidInput("The coupon must end after it starts.", field="ends_at")
    if ends_at <= now:
        raise InvalidInput(
            "The end date is in the past; choose a future end date.", field="ends_at"
        )
    for label, limit in (("total", usage_limit), ("per-buyer", per_buyer_limit)):
        if limit is not None and limit < 1:
            raise InvalidInput(f"The {label} usage limit must be at least 1 (or left empty).")
    if coupon is not None and usage_limit is not None and usage_limit < coupon.uses:
        raise InvalidInput(
            f"This coupon has already been used {coupon.uses} times; the limit cannot be lower.",
            field="usage_limit",
        )

    created = coupon is None
    if created:
        coupon = Coupon(shop=shop)
    fields = {
        "code": code,
        "kind": kind,
        "value": value,
        "min_spend": min_spend,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "usage_limit": usage_limit,
        "per_buyer_limit": per_buyer_limit,
    }
    changes = {k: (str(getattr(coupon, k)), str(v)) for k, v in fields.items() if not created}
    for key, val in fields.items():
        setattr(coupon, key, val)
    try:
        with transaction.atomic():
            if created:
                coupon.save()
            else:
                # Never write ``uses`` from here: checkout owns that counter.
                coupon.save(update_fields=list(fields))
            audit.record(
                actor=actor,
                action="marketing.coupon_created" if created else "marketing.coupon_updated",
                shop=shop,
                target=coupon,
                changes={k: v for k, v in changes.items() if v[0] != v[1]} or None,
            )
    except IntegrityError:
        raise InvalidInput(
            f"Your shop already has a coupon {code}; choose another code.", field="code"
        ) from None
    return coupon


@transaction.atomic
def coupon_end(*, shop: Shop, actor, coupon: Coupon, now: datetime | None = None) -> None:
    """Stop a coupon now (a scheduled one never starts)."""
    now = now or timezone.now()
    if now >= coupon.ends_at:
        raise Refused("This coupon has already ended.")
    Coupon.objects.filter(pk=coupon.pk).update(
        starts_at=min(coupon.starts_at, now - timedelta(seconds=1)), ends_at=now
    )
    coupon.refresh_from_db()
    audit.record(actor=actor, action="marketing.coupon_ended", shop=shop, target=coupon)
