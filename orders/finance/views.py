"""Finance screens: balances, the ledger (one row per money event, paged), withdrawals (asked
twice: the amount, then a confirmation naming it) and monthly statements (page, print, CSV)."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone

from common.clock import local_date
from common.csvio import csv_response
from common.money import format_money
from common.policy import POLICY
from orders.finance import services as svc
from orders.finance.forms import WithdrawalForm
from orders.finance.selectors import (
    STATEMENT_COLUMNS,
    ledger_event,
    ledger_events,
    ledger_page,
    statement,
    statement_months,
    statement_rows,
    withdrawal_list,
)
from shops import permissions as p
from shops.tenancy import shop_view

LEDGER_PAGE_SIZE = 50
STATEMENT_PRINT_LIMIT = 5_000  # rows on the printable statement; the CSV has every row


@shop_view(p.FINANCE)
def finance(request, shop_slug):
    return _render_finance(request)


def _render_finance(request, form: WithdrawalForm | None = None):
    """The finance page; a refused withdrawal form comes back with its errors (status 400)."""
    balances = svc.balances(shop=request.shop)
    minimum = POLICY.withdrawal_min_amount
    return render(
        request,
        "orders/finance_page.html",
        {
            "balances": balances,
            "ledger": ledger_page(shop=request.shop, params=request.GET, size=LEDGER_PAGE_SIZE),
            "withdrawals": withdrawal_list(shop=request.shop),
            "months": [date(y, m, 1) for y, m in statement_months(shop=request.shop)],
            "form": form or WithdrawalForm(),
            "minimum": minimum,
            "can_withdraw": balances.available >= minimum,
            "hold_days": POLICY.settlement_hold_days,
        },
        status=400 if form is not None else 200,
    )


@shop_view(p.OWNER, sensitive=True)
def finance_withdraw(request, shop_slug):
    """First POST: the amount, answered with a confirmation page naming it and the account.
    Second POST (``confirm``): the withdrawal."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = WithdrawalForm(request.POST)
    if form.is_valid():
        amount = form.cleaned_data["amount"]
        try:
            if "confirm" not in request.POST:
                preview = svc.withdrawal_preview(shop=request.shop, amount=amount)
                return render(request, "orders/finance_withdraw_confirm.html", {"preview": preview})
            withdrawal = svc.withdrawal_request(
                shop=request.shop, actor=request.user, amount=amount
            )
        except ValidationError as exc:
            form.add_error("amount", exc)
        else:
            messages.success(
                request,
                f"Withdrawal of {format_money(withdrawal.amount, withdrawal.currency)} requested "
                f"to {withdrawal.bank_account_label}.",
            )
            return redirect("orders:finance", shop_slug=shop_slug)
    return _render_finance(request, form=form)


@shop_view(p.FINANCE)
def finance_statement(request, shop_slug):
    """The month's summary and its events a page at a time; ``print=1`` lists every event for
    paper (print CSS), ``format=csv`` downloads every ledger row."""
    year, month = _month(request.GET.get("month"))
    shop = request.shop
    stmt = statement(shop=shop, year=year, month=month)
    if request.GET.get("format") == "csv":
        filename = f"statement-{shop.slug}-{stmt.slug}.csv"
        return csv_response(filename, STATEMENT_COLUMNS, statement_rows(shop=shop, stmt=stmt))
    printing = request.GET.get("print") == "1"
    context = {"stmt": stmt, "printing": printing}
    if printing:
        rows = ledger_events(shop=shop, start=stmt.start, end=stmt.end, oldest_first=True)
        rows = rows[:STATEMENT_PRINT_LIMIT]
        context["events"] = [ledger_event(entry, shop.currency) for entry in rows]
        context["print_limit"] = STATEMENT_PRINT_LIMIT
    else:
        context["ledger"] = ledger_page(
            shop=shop,
            params=request.GET,
            size=LEDGER_PAGE_SIZE,
            start=stmt.start,
            end=stmt.end,
            oldest_first=True,
        )
    return render(request, "orders/finance_statement.html", context)


def _month(value: str | None) -> tuple[int, int]:
    if not value:
        today = local_date(timezone.now())
        return today.year, today.month
    try:
        year, month = (int(part) for part in value.split("-", 1))
        date(year, month, 1)
    except ValueError as exc:
        raise Http404("No such month.") from exc
    return year, month
