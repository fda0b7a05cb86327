"""Reads for the finance pages: balances, recent ledger rows, monthly statements."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Sum

from common.clock import local_date, month_bounds
from orders.finance.models import LedgerEntry, Withdrawal
from orders.finance.services import Balances, balances
from shops.models import Shop

ZERO = Decimal("0.00")


@dataclass
class Statement:
    year: int
    month: int
    opening: Balances
    closing: Balances
    entries: list[LedgerEntry]
    totals: dict[str, Decimal] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return date(self.year, self.month, 1).strftime("%B %Y")

    @property
    def slug(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def statement(*, shop: Shop, year: int, month: int) -> Statement:
    """One calendar month (platform zone) of the ledger, with opening and closing balances.

    Totals by kind: sales, commission, refunds, adjustments, withdrawals — a settlement moves
    money between pending and available and nets to zero, so it has no total of its own.
    """
    start, end = month_bounds(year, month)
    rows = LedgerEntry.objects.filter(shop=shop, created_at__gte=start, created_at__lt=end)
    sums = {r["kind"]: r["s"] for r in rows.values("kind").annotate(s=Sum("amount")).order_by()}
    totals = {
        label: Decimal(sums.get(kind) or ZERO).quantize(ZERO)
        for kind, label in LedgerEntry.Kind.choices
        if kind != LedgerEntry.Kind.SETTLEMENT
    }
    return Statement(
        year=year,
        month=month,
        opening=balances(shop=shop, before=start),
        closing=balances(shop=shop, before=end),
        entries=list(rows.select_related("order").order_by("created_at", "id")),
        totals=totals,
    )


STATEMENT_COLUMNS = ["date", "kind", "balance", "order", "description", "amount"]


def statement_rows(stmt: Statement) -> list[list]:
    """The statement as CSV rows: its entries, a blank line, then the totals and closing balances."""
    rows: list[list] = [
        [
            entry.created_at.isoformat(),
            entry.get_kind_display(),
            entry.get_bucket_display(),
            entry.order.number if entry.order_id else "",
            entry.memo,
            _cents(entry.amount),
        ]
        for entry in stmt.entries
    ]
    rows.append([])
    for label, amount in stmt.totals.items():
        rows.append(["", f"Total {label.lower()}", "", "", "", _cents(amount)])
    rows.append(["", "Closing pending", "", "", "", _cents(stmt.closing.pending)])
    rows.append(["", "Closing available", "", "", "", _cents(stmt.closing.available)])
    return rows


def _cents(amount: Decimal) -> Decimal:
    return amount.quantize(ZERO)


def recent_entries(*, shop: Shop, limit: int = 25) -> list[LedgerEntry]:
    return list(LedgerEntry.objects.filter(shop=shop).select_related("order")[:limit])


def withdrawal_list(*, shop: Shop, limit: int = 20) -> list[Withdrawal]:
    return list(Withdrawal.objects.filter(shop=shop)[:limit])


def statement_months(*, shop: Shop) -> list[tuple[int, int]]:
    """Months that have ledger rows, newest first."""
    first = LedgerEntry.objects.filter(shop=shop).order_by("created_at").first()
    if first is None:
        return []
    start = local_date(first.created_at).replace(day=1)
    from django.utils import timezone

    today = local_date(timezone.now())
    months, y, m = [], today.year, today.month
    while (y, m) >= (start.year, start.month):
        months.append((y, m))
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    return months
