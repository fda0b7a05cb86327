"""The finance pages as a person reads them: one row per money event, money as currency, pages
of the ledger and the statement, links to orders and returns, and a confirmation before money
leaves the shop."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from common.money import format_money
from orders.finance import services as svc
from orders.finance.models import LedgerEntry, Withdrawal
from orders.returns import services as returns_svc
from orders.returns.models import ReturnRequest
from tests.factories import sign_in_verified
from tests.orders.aftersales import at, delivered_order, open_return
from tests.orders.test_finance import bank, complete, fund  # noqa: F401 (bank is a fixture)
from tests.queries import page_queries

pytestmark = pytest.mark.django_db


def test_money_reads_as_currency():
    assert format_money(Decimal("36307.45")) == "$36,307.45"
    assert format_money(Decimal("-144.09")) == "\u2212$144.09"
    assert format_money(Decimal("144.09"), signed=True) == "+$144.09"
    assert format_money(Decimal("0")) == "$0.00"
    assert format_money(Decimal("1.005")) == "$1.01"
    assert format_money(None) == ""
    assert format_money(Decimal("12"), "EUR") == "€12.00"
    assert format_money(Decimal("12"), "JPY") == "JPY 12.00"


def settled_order(shop):
    with scope(shop=shop):
        order = delivered_order(shop, delivered_at=at(2026, 3, 1))
        complete(order, at(2026, 3, 20))
    svc.finance_settle_due(as_of=at(2026, 3, 27, 13))
    return order


def test_a_settlement_is_one_row_linked_to_its_order_and_the_csv_keeps_both_sides(
    owner_client, shop
):
    order = settled_order(shop)
    with scope(shop=shop):
        assert LedgerEntry.objects.filter(kind="settlement").count() == 2  # the pair stays
        available = svc.balances(shop=shop).available
    html = owner_client.get(reverse("orders:finance", kwargs={"shop_slug": shop.slug})).content
    html = html.decode()
    assert html.count('class="ledger-settlement"') == 1
    assert f"Order {order.number} settled: {format_money(available)} now available" in html
    detail = reverse("orders:order_detail", kwargs={"shop_slug": shop.slug, "order_id": order.pk})
    assert f'href="{detail}">{order.number}</a>' in html
    assert "USD" not in html
    statement = reverse("orders:finance_statement", kwargs={"shop_slug": shop.slug})
    csv = owner_client.get(statement + "?month=2026-03&format=csv").content.decode()
    assert csv.count(",Settlement,") == 2


def test_a_refund_row_links_to_its_return(owner_client, shop, owner):
    with scope(shop=shop):
        order = delivered_order(shop, delivered_at=timezone.now() - timedelta(days=1))
        request = open_return(shop, order, kind="refund_only", reason="Other", now=timezone.now())
        returns_svc.return_approve(shop=shop, actor=owner, return_request=request)
        returns_svc.return_refund(
            shop=shop, actor=owner, return_request=request, amount=Decimal("40.00")
        )
    html = owner_client.get(reverse("orders:finance", kwargs={"shop_slug": shop.slug})).content
    link = reverse(
        "orders:return_detail", kwargs={"shop_slug": shop.slug, "return_request_id": request.pk}
    )
    assert f'href="{link}">Return #{request.pk}</a>' in html.decode()
    assert "\u2212$40.00" in html.decode()


def test_the_ledger_pages_both_ways_and_says_where_you_are(owner_client, shop):
    with scope(shop=shop):
        LedgerEntry.objects.bulk_create(
            LedgerEntry(shop=shop, kind="adjustment", bucket="available", amount=Decimal("1000"))
            for _ in range(60)
        )
    url = reverse("orders:finance", kwargs={"shop_slug": shop.slug})
    first = owner_client.get(url).content.decode()
    assert "1\u201350 of 60" in first and 'rel="next"' in first and 'rel="prev"' not in first
    assert 'id="balance-available">$60,000.00<' in first
    second = owner_client.get(url + "?page=2").content.decode()
    assert "51\u201360 of 60" in second and 'rel="prev"' in second and 'rel="next"' not in second
    assert second.count("+$1,000.00") == 10


def test_the_statement_pages_prints_and_costs_the_same_whatever_the_month_holds(owner_client, shop):
    url = reverse("orders:finance_statement", kwargs={"shop_slug": shop.slug}) + "?month=2026-03"

    def grow(n):
        with scope(shop=shop):
            LedgerEntry.objects.bulk_create(
                LedgerEntry(
                    shop=shop,
                    kind="adjustment",
                    bucket="available",
                    amount=Decimal("1"),
                    created_at=at(2026, 3, 10),
                    memo="Correction",
                )  # fmt: skip
                for _ in range(n)
            )

    grow(3)
    small = page_queries(owner_client, url)
    grow(70)
    assert page_queries(owner_client, url) == small
    page = owner_client.get(url).content.decode()
    assert "1\u201350 of 73" in page and 'id="printable"' in page
    printable = owner_client.get(url + "&print=1").content.decode()
    assert printable.count('<tr class="ledger-adjustment">') == 73
    assert 'class="pagination"' not in printable and "js/print.js" in printable


def test_withdraw_is_disabled_at_zero_with_the_reason(client, owner, shop, bank):  # noqa: F811
    sign_in_verified(client, owner)
    html = client.get(reverse("orders:finance", kwargs={"shop_slug": shop.slug})).content.decode()
    assert '<button class="btn primary" disabled aria-describedby="withdraw-why">' in html
    assert "Nothing to withdraw yet: your available balance is $0.00." in html


def test_withdrawing_shows_the_amount_and_writes_nothing_until_confirmed(
    client,
    owner,
    shop,
    bank,  # noqa: F811
):
    fund(shop, Decimal("2500.00"))
    sign_in_verified(client, owner)
    url = reverse("orders:finance_withdraw", kwargs={"shop_slug": shop.slug})
    confirm = client.post(url, {"amount": "1234.5"}).content.decode()
    assert "Withdraw $1,234.50?" in confirm and "••••6789" in confirm
    with scope(shop=shop):
        assert not Withdrawal.objects.exists()
    too_much = client.post(url, {"amount": "9000"})
    assert too_much.status_code == 400
    assert "You can withdraw at most $2,500.00" in too_much.content.decode()
    client.post(url, {"amount": "1234.50", "confirm": "1"})
    with scope(shop=shop):
        assert Withdrawal.objects.get().amount == Decimal("1234.50")


def test_refunding_shows_what_the_buyer_gets_and_writes_nothing_until_confirmed(
    owner_client, shop, owner
):
    with scope(shop=shop):
        order = delivered_order(shop, delivered_at=timezone.now() - timedelta(days=1))
        request = open_return(shop, order, kind="refund_only", reason="Other", now=timezone.now())
        returns_svc.return_approve(shop=shop, actor=owner, return_request=request)
    url = reverse(
        "orders:return_act", kwargs={"shop_slug": shop.slug, "return_request_id": request.pk}
    )
    confirm = owner_client.post(url, {"action": "refund", "amount": "40"}).content.decode()
    assert "Refund $40.00 to" in confirm and 'name="confirm"' in confirm
    request.refresh_from_db()
    assert request.status == ReturnRequest.Status.APPROVED
    owner_client.post(url, {"action": "refund", "amount": "40.00", "confirm": "1"})
    request.refresh_from_db()
    assert request.status == ReturnRequest.Status.REFUNDED
    assert request.refund_amount == Decimal("40.00")
