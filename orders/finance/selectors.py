"""Reads for the finance pages: balances, recent ledger rows, monthly statements."""

import csv
import io
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


def statement_csv(stmt: Statement) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["date", "kind", "balance", "order", "description", "amount"])
    for entry in stmt.entries:
        writer.writerow(
            [
                entry.created_at.isoformat(),
                entry.get_kind_display(),
                entry.get_bucket_display(),
                entry.order.number if entry.order_id else "",
                _safe(entry.memo),
                f"{entry.amount:.2f}",
            ]
        )
    writer.writerow([])
    for label, amount in stmt.totals.items():
        writer.writerow(["", f"Total {label.lower()}", "", "", "", f"{amount:.2f}"])
    writer.writerow(["", "Closing pending", "", "", "", f"{stmt.closing.pending:.2f}"])
    writer.writerow(["", "Closing available", "", "", "", f"{stmt.closing.available:.2f}"])
    return out.getvalue()


def _safe(text: str) -> str:
    # Spreadsheet formula injection: a cell must not start with = + - @.
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


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
