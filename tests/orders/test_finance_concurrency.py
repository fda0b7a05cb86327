"""Two withdrawals of the whole balance at the same moment: exactly one succeeds (PostgreSQL)."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django_scopes import scope

from orders.finance import services as svc
from orders.finance.models import LedgerEntry, Withdrawal

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_concurrent_withdrawals_of_the_whole_balance_exactly_one_succeeds(
    shop, owner, monkeypatch
):
    from accounts import crypto
    from shops.models import BankAccount

    BankAccount.objects.create(
        shop=shop, holder_name="Alpha Goods", routing_number="021000021",
        account_number_encrypted=crypto.encrypt("123456789"), account_last4="6789",
    )  # fmt: skip
    LedgerEntry.objects.create(
        shop=shop, kind="adjustment", bucket="available", amount=Decimal("250.00")
    )
    barrier = threading.Barrier(2)
    results: list[str] = []

    def withdraw():
        try:
            with scope(shop=shop):
                barrier.wait(timeout=10)
                svc.withdrawal_request(shop=shop, actor=owner, amount=Decimal("250.00"))
            results.append("ok")
        except ValidationError as exc:
            results.append(" ".join(exc.messages))
        finally:
            connection.close()

    threads = [threading.Thread(target=withdraw) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    assert sorted(results) == ["You can withdraw at most $0.00, your available balance.", "ok"]
    with scope(shop=shop):
        assert Withdrawal.objects.count() == 1
        assert svc.balances(shop=shop).available == Decimal("0.00")
