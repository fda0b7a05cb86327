"""Reading the marketing forms' fields: amounts, counts and platform-time moments."""

from datetime import datetime
from decimal import Decimal, InvalidOperation

from common.clock import from_local_input


class BadInput(Exception):
    pass


# Beyond these a number is a typo (or an attack), and the database columns could not hold it.
MAX_AMOUNT = Decimal("10000000000")


MAX_COUNT = 1_000_000_000


def parse_decimal(value: str, label: str, *, optional: bool = False) -> Decimal | None:
    value = (value or "").strip().lstrip("$").rstrip("%").strip()
    if not value:
        if optional:
            return None
        raise BadInput(f"Enter {label.lower()}.")
    try:
        amount = Decimal(value)
    except InvalidOperation:
        raise BadInput(f"{label} must be a number like 10 or 4.99.") from None
    if not amount.is_finite() or abs(amount) >= MAX_AMOUNT:
        raise BadInput(f"{label} must be a number like 10 or 4.99, below {MAX_AMOUNT:,}.")
    return amount.quantize(Decimal("0.01"))


def parse_whole(value: str, label: str) -> int | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        number = int(value)
    except ValueError:
        raise BadInput(f"{label} must be a whole number (or left empty).") from None
    if not 0 <= number <= MAX_COUNT:
        raise BadInput(f"{label} must be between 0 and {MAX_COUNT:,}.")
    return number


def parse_moment(value: str, label: str) -> datetime:
    """A datetime-local field, read in the platform time zone."""
    try:
        return from_local_input(value)
    except ValueError:
        raise BadInput(f"{label} must be a date and time.") from None
