"""Finance screens: balances, ledger, withdrawals, monthly statements (page and CSV)."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone

from common.clock import local_date
from common.csvio import csv_response
from common.policy import POLICY
from orders.finance import services as svc
from orders.finance.forms import WithdrawalForm
from orders.finance.selectors import (
    STATEMENT_COLUMNS,
    recent_entries,
    statement,
    statement_months,
    statement_rows,
    withdrawal_list,
)
from shops import permissions as p
from shops.tenancy import shop_view


@shop_view(p.FINANCE)
def finance(request, shop_slug):
    return _render_finance(request)


def _render_finance(request, form: WithdrawalForm | None = None):
    """The finance page; a refused withdrawal form comes back with its errors (status 400)."""
    return render(
        request,
        "orders/finance_page.html",
        {
            "balances": svc.balances(shop=request.shop),
            "entries": recent_entries(shop=request.shop),
            "withdrawals": withdrawal_list(shop=request.shop),
            "months": [date(y, m, 1) for y, m in statement_months(shop=request.shop)],
            "form": form or WithdrawalForm(),
            "minimum": POLICY.withdrawal_min_amount,
            "hold_days": POLICY.settlement_hold_days,
        },
        status=400 if form is not None else 200,
    )


@shop_view(p.OWNER, sensitive=True)
def finance_withdraw(request, shop_slug):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = WithdrawalForm(request.POST)
    if form.is_valid():
        try:
            withdrawal = svc.withdrawal_request(
                shop=request.shop, actor=request.user, amount=form.cleaned_data["amount"]
            )
        except ValidationError as exc:
            form.add_error("amount", exc)
        else:
            messages.success(
                request,
                f"Withdrawal of ${withdrawal.amount} requested to {withdrawal.bank_account_label}.",
            )
            return redirect("orders:finance", shop_slug=shop_slug)
    return _render_finance(request, form=form)


@shop_view(p.FINANCE)
def finance_statement(request, shop_slug):
    year, month = _month(request.GET.get("month"))
    stmt = statement(shop=request.shop, year=year, month=month)
    if request.GET.get("format") == "csv":
        filename = f"statement-{request.shop.slug}-{stmt.slug}.csv"
        return csv_response(filename, STATEMENT_COLUMNS, statement_rows(stmt))
    return render(request, "orders/finance_statement.html", {"stmt": stmt})


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
