"""Two withdrawals of the whole balance at the same moment: exactly one succeeds (PostgreSQL)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope

from orders.finance import services as svc
from orders.finance.models import LedgerEntry, Withdrawal
from tests.concurrency import at_once

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

    def withdraw(_):
        try:
            with scope(shop=shop):
                svc.withdrawal_request(shop=shop, actor=owner, amount=Decimal("250.00"))
        except ValidationError as exc:
            return " ".join(exc.messages)
        return "ok"

    results = at_once(withdraw, range(2))

    assert sorted(results) == ["You can withdraw at most $0.00, your available balance.", "ok"]
    with scope(shop=shop):
        assert Withdrawal.objects.count() == 1
        assert svc.balances(shop=shop).available == Decimal("0.00")
