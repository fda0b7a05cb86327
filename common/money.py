"""Money as a person reads it: "$36,307.45", "−$144.09". The one formatter for pages, messages
and emails; CSV files keep plain decimals (common.csvio), so spreadsheets can add them up."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
SYMBOLS = {"USD": "$", "CAD": "CA$", "AUD": "A$", "GBP": "£", "EUR": "€"}
MINUS = "\u2212"  # a real minus sign: it lines up with the digits and reads as one


def format_money(amount, currency: str = "USD", *, signed: bool = False) -> str:
    """The amount rounded to the cent, grouped by thousands, with the currency's symbol (or its
    code when it has none). ``signed`` puts "+" before a positive amount (ledger rows)."""
    if amount is None or amount == "":
        return ""
    try:
        value = Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)
    except (InvalidOperation, TypeError, ValueError):
        return str(amount)
    symbol = SYMBOLS.get((currency or "USD").upper(), f"{currency.upper()} ")
    sign = MINUS if value < 0 else ("+" if signed and value > 0 else "")
    return f"{sign}{symbol}{abs(value):,.2f}"
