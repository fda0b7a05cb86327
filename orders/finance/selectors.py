"""Reads for the finance pages: balances, recent ledger rows, monthly statements."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from common.clock import local_date, month_bounds
from common.money import format_money
from common.paging import Window, page_window
from orders.finance.models import LedgerEntry, Withdrawal
from orders.finance.services import Balances, balances
from shops.models import Shop

ZERO = Decimal("0.00")


@dataclass
class LedgerEvent:
    """One thing that happened to the shop's money, as a person reads it.

    A settlement is booked as two ledger rows (out of pending, into available); the pages show
    it once, as the money arriving in available. The pair stays in the ledger and in the CSV.
    """

    created_at: datetime
    kind: str
    kind_label: str
    bucket_label: str
    title: str
    amount: Decimal
    order_id: int | None
    order_number: str
    return_request_id: int | None


def ledger_events(
    *,
    shop: Shop,
    start: datetime | None = None,
    end: datetime | None = None,
    oldest_first: bool = False,
):
    """The shop's ledger rows that are events, newest first (a queryset: page it)."""
    rows = LedgerEntry.objects.filter(shop=shop).exclude(
        kind=LedgerEntry.Kind.SETTLEMENT, bucket=LedgerEntry.Bucket.PENDING
    )
    if start is not None:
        rows = rows.filter(created_at__gte=start)
    if end is not None:
        rows = rows.filter(created_at__lt=end)
    order = ("created_at", "id") if oldest_first else ("-created_at", "-id")
    return rows.select_related("order").order_by(*order)


def ledger_event(entry: LedgerEntry, currency: str = "USD") -> LedgerEvent:
    number = entry.order.number if entry.order_id else ""
    Kind = LedgerEntry.Kind
    if entry.kind == Kind.SETTLEMENT:
        title = f"Order {number} settled: {format_money(entry.amount, currency)} now available"
    elif entry.kind == Kind.SALE:
        title = f"Order {number} completed: {format_money(entry.amount, currency)} on hold"
    else:
        title = entry.memo or entry.get_kind_display()
    return LedgerEvent(
        created_at=entry.created_at,
        kind=entry.kind,
        kind_label=entry.get_kind_display(),
        bucket_label=entry.get_bucket_display(),
        title=title,
        amount=entry.amount,
        order_id=entry.order_id,
        order_number=number,
        return_request_id=entry.return_request_id,
    )


def ledger_page(
    *, shop: Shop, params, size: int = 50, start=None, end=None, oldest_first: bool = False
) -> Window:
    """A page of ledger events (two queries: a bounded count and the rows)."""
    events = ledger_events(shop=shop, start=start, end=end, oldest_first=oldest_first)
    window = page_window(events, params=params, size=size)
    window.items = [ledger_event(entry, shop.currency) for entry in window.items]
    return window


@dataclass
class Statement:
    year: int
    month: int
    opening: Balances
    closing: Balances
    start: datetime
    end: datetime
    totals: dict[str, Decimal] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return date(self.year, self.month, 1).strftime("%B %Y")

    @property
    def slug(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


SETTLED_LABEL = "Settled to available"


def statement(*, shop: Shop, year: int, month: int) -> Statement:
    """One calendar month (platform zone) of the ledger, with opening and closing balances.

    Totals by kind: sales, commission, refunds, adjustments, withdrawals. A settlement moves
    money from pending to available and nets to zero, so it is not new money; the summary shows
    what it moved ("Settled to available"), so a month whose sales came before it does not read
    as all zeros beside its settlements. The month's rows are read by the page a page at a time
    (ledger_page) and by the CSV in full.
    """
    start, end = month_bounds(year, month)
    rows = LedgerEntry.objects.filter(shop=shop, created_at__gte=start, created_at__lt=end)
    sums: dict[tuple[str, str], Decimal] = {
        (r["kind"], r["bucket"]): r["s"]
        for r in rows.values("kind", "bucket").annotate(s=Sum("amount")).order_by()
    }

    def total(kind, bucket=None) -> Decimal:
        found = (v for (k, b), v in sums.items() if k == kind and bucket in (None, b))
        return sum(found, ZERO).quantize(ZERO)

    totals = {
        label: total(kind)
        for kind, label in LedgerEntry.Kind.choices
        if kind != LedgerEntry.Kind.SETTLEMENT
    }
    totals[SETTLED_LABEL] = total(LedgerEntry.Kind.SETTLEMENT, LedgerEntry.Bucket.AVAILABLE)
    return Statement(
        year=year,
        month=month,
        opening=balances(shop=shop, before=start),
        closing=balances(shop=shop, before=end),
        start=start,
        end=end,
        totals=totals,
    )


def statement_entries(*, shop: Shop, stmt: Statement):
    """Every ledger row of the month, oldest first, both halves of a settlement included."""
    return (
        LedgerEntry.objects.filter(shop=shop, created_at__gte=stmt.start, created_at__lt=stmt.end)
        .select_related("order")
        .order_by("created_at", "id")
    )


STATEMENT_COLUMNS = ["date", "kind", "balance", "order", "description", "amount"]


def statement_rows(*, shop: Shop, stmt: Statement) -> Iterator[list]:
    """The statement as CSV rows: its entries, a blank line, then the totals and closing balances."""
    for entry in statement_entries(shop=shop, stmt=stmt).iterator(chunk_size=2000):
        yield [
            entry.created_at.isoformat(),
            entry.get_kind_display(),
            entry.get_bucket_display(),
            entry.order.number if entry.order_id else "",
            entry.memo,
            _cents(entry.amount),
        ]
    yield []
    for label, amount in stmt.totals.items():
        yield ["", f"Total {label.lower()}", "", "", "", _cents(amount)]
    yield ["", "Closing pending", "", "", "", _cents(stmt.closing.pending)]
    yield ["", "Closing available", "", "", "", _cents(stmt.closing.available)]


def _cents(amount: Decimal) -> Decimal:
    return amount.quantize(ZERO)


def withdrawal_list(*, shop: Shop, limit: int = 20) -> list[Withdrawal]:
    return list(Withdrawal.objects.filter(shop=shop)[:limit])


def statement_months(*, shop: Shop) -> list[tuple[int, int]]:
    """Months that have ledger rows, newest first."""
    first = LedgerEntry.objects.filter(shop=shop).order_by("created_at").first()
    if first is None:
        return []
    start = local_date(first.created_at).replace(day=1)
    today = local_date(timezone.now())
    months, y, m = [], today.year, today.month
    while (y, m) >= (start.year, start.month):
        months.append((y, m))
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    return months
