"""Finance (SPEC §7): commission table, ledger balances, settlement hold, withdrawals, statements."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django_scopes import scope

from catalog.models import Category
from orders.finance import services as svc
from orders.finance.models import CommissionRate, LedgerEntry, OrderSettlement, Withdrawal
from orders.returns import services as returns_svc
from orders.signals import order_status_changed
from tests.admin_actions import post_action
from tests.factories import MembershipFactory, sign_in_verified
from tests.orders.aftersales import at, delivered_order, open_return

pytestmark = pytest.mark.django_db


@pytest.fixture
def bank(shop):
    """The shop's payout account, saved as the bank-account page would."""
    from accounts import crypto
    from shops.models import BankAccount

    return BankAccount.objects.create(
        shop=shop, holder_name="Alpha Goods", routing_number="021000021",
        account_number_encrypted=crypto.encrypt("123456789"), account_last4="6789",
    )  # fmt: skip


def complete(order, when):
    """Stand-in for the order lifecycle: it marks the order completed and sends the signal."""
    order.status = "completed"
    with scope(shop=order.shop):
        order.save(update_fields=["status"])
        svc.finance_book_sale(shop=order.shop, order=order, now=when)


@pytest.fixture
def staff_client(client, admin_user):
    """A superuser whose session passed the staff console's second factor."""
    sign_in_verified(client, admin_user)
    return client


@pytest.fixture
def verified_owner_client(client, owner):
    """The owner, two-step enrolled and freshly re-authenticated (what payouts require)."""
    sign_in_verified(client, owner)
    return client


def fund(shop, amount: Decimal):
    LedgerEntry.objects.create(shop=shop, kind="adjustment", bucket="available", amount=amount)


# --- Commission -----------------------------------------------------------------------------


def test_commission_uses_the_most_specific_rate():
    shoes = Category.objects.create(name="Shoes", slug="shoes")
    boots = Category.objects.create(name="Boots", slug="boots", parent=shoes)
    assert svc.commission_rate_for(region="US", category=boots) == Decimal("0.0600")  # settings
    CommissionRate.objects.create(region="", category=None, rate=Decimal("0.0500"))
    assert svc.commission_rate_for(region="US", category=boots) == Decimal("0.0500")
    CommissionRate.objects.create(region="US", category=shoes, rate=Decimal("0.0800"))
    assert svc.commission_rate_for(region="US", category=boots) == Decimal("0.0800")  # parent
    CommissionRate.objects.create(region="", category=boots, rate=Decimal("0.0700"))
    assert svc.commission_rate_for(region="US", category=boots) == Decimal("0.0700")
    assert svc.commission_rate_for(region="US", category=None) == Decimal("0.0500")


def test_completed_order_books_sale_and_commission_once_and_rate_changes_do_not_rewrite(shop):
    with scope(shop=shop):
        shoes = Category.objects.create(name="Shoes", slug="shoes")
        rate = CommissionRate.objects.create(region="US", category=shoes, rate=Decimal("0.0800"))
        order = delivered_order(shop, delivered_at=at(2026, 3, 1), category=shoes)
        order.status = "completed"
        order.save(update_fields=["status"])
        completed = {"shop": shop, "order": order, "from_status": "delivered", "actor": None}
        with transaction.atomic():  # the lifecycle sends this on commit
            order_status_changed.send(type(order), to_status="completed", **completed)
        order_status_changed.send(type(order), to_status="completed", **completed)  # once more
        settlement = OrderSettlement.objects.get(order=order)
        assert settlement.commission == Decimal(
            "7.20"
        )  # 8% of the 90.00 item; shipping is not commissioned
        rate.rate = Decimal("0.2000")
        rate.save()
        settlement.refresh_from_db()
        assert settlement.commission == Decimal("7.20")
        b = svc.balances(shop=shop)
        assert (b.pending, b.available) == (Decimal("92.80"), Decimal("0.00"))
        assert LedgerEntry.objects.filter(kind="sale").count() == 1


def test_refund_before_completion_lowers_the_commission_base(shop, owner):
    with scope(shop=shop):
        order = delivered_order(shop, delivered_at=at(2026, 3, 1))
        request = open_return(shop, order, kind="refund_only")
        returns_svc.return_approve(shop=shop, actor=owner, return_request=request)
        returns_svc.return_refund(
            shop=shop, actor=owner, return_request=request, amount=Decimal("30")
        )
        complete(order, at(2026, 4, 1))
        settlement = OrderSettlement.objects.get(order=order)
        assert settlement.commission_base == Decimal("60.00")
        assert settlement.commission == Decimal("3.60")  # 6% default
        assert svc.balances(shop=shop).pending == Decimal("100.00") - Decimal("30.00") - Decimal(
            "3.60"
        )


# --- Settlement ------------------------------------------------------------------------------


def test_net_settles_into_available_exactly_after_the_hold(shop):
    with scope(shop=shop):
        order = delivered_order(shop, delivered_at=at(2026, 3, 1))
        completed = at(2026, 4, 1, 10)
        complete(order, completed)
    assert svc.finance_settle_due(as_of=completed + timedelta(days=7, seconds=-1)) == 0
    with scope(shop=shop):
        assert svc.balances(shop=shop).available == Decimal("0.00")
    assert svc.finance_settle_due(as_of=completed + timedelta(days=7)) == 1
    with scope(shop=shop):
        b = svc.balances(shop=shop)
    assert (b.pending, b.available) == (Decimal("0.00"), Decimal("94.60"))  # 100 − 6% of 90
    assert svc.finance_settle_due(as_of=completed + timedelta(days=30)) == 0  # idempotent


def test_refund_after_settlement_comes_out_of_available(shop, owner):
    with scope(shop=shop):
        order = delivered_order(shop, delivered_at=at(2026, 3, 1))
        request = open_return(shop, order, kind="refund_only")
        complete(order, at(2026, 4, 1))
    svc.finance_settle_due(as_of=at(2026, 4, 9))
    with scope(shop=shop):
        returns_svc.return_approve(shop=shop, actor=owner, return_request=request)
        returns_svc.return_refund(
            shop=shop, actor=owner, return_request=request, amount=Decimal("5")
        )
        assert svc.balances(shop=shop).available == Decimal("89.60")


def test_settle_task_books_completed_orders_the_signal_missed(shop):
    from orders.finance.tasks import finance_settle_task

    with scope(shop=shop):
        order = delivered_order(shop, delivered_at=at(2026, 3, 1), status="completed")
    finance_settle_task(as_of="2026-03-02")
    with scope(shop=shop):
        assert OrderSettlement.objects.filter(order=order).exists()


# --- Withdrawals -----------------------------------------------------------------------------


def test_withdrawal_needs_a_verified_bank_account(shop, owner):
    with scope(shop=shop):
        fund(shop, Decimal("50.00"))
        with pytest.raises(ValidationError, match="verified"):
            svc.withdrawal_request(shop=shop, actor=owner, amount=Decimal("20.00"))
        assert not Withdrawal.objects.exists() and LedgerEntry.objects.count() == 1


def test_withdrawal_above_available_or_below_minimum_is_refused(shop, owner, bank):
    with scope(shop=shop):
        fund(shop, Decimal("50.00"))
        with pytest.raises(ValidationError, match=r"at most \$50.00"):
            svc.withdrawal_request(shop=shop, actor=owner, amount=Decimal("50.01"))
        with pytest.raises(ValidationError, match=r"minimum withdrawal is \$10.00"):
            svc.withdrawal_request(shop=shop, actor=owner, amount=Decimal("9.99"))
        assert not Withdrawal.objects.exists()
        w = svc.withdrawal_request(shop=shop, actor=owner, amount=Decimal("50.00"))
        assert w.bank_account_label == "Checking ••••6789"
        assert svc.balances(shop=shop).available == Decimal("0.00")


def test_failed_withdrawal_returns_the_money_and_paid_is_final(shop, owner, bank, admin_user):
    with scope(shop=shop):
        fund(shop, Decimal("80.00"))
        first = svc.withdrawal_request(shop=shop, actor=owner, amount=Decimal("30.00"))
        second = svc.withdrawal_request(shop=shop, actor=owner, amount=Decimal("20.00"))
        svc.withdrawal_mark_failed(actor=admin_user, withdrawal=first, reason="Account closed")
        svc.withdrawal_mark_paid(actor=admin_user, withdrawal=second)
        assert svc.balances(shop=shop).available == Decimal("60.00")
        with pytest.raises(ValidationError, match="already paid"):
            svc.withdrawal_mark_failed(actor=admin_user, withdrawal=second)
        assert svc.balances(shop=shop).available == Decimal("60.00")


def test_admin_actions_mark_withdrawals(staff_client, shop, owner, bank):
    with scope(shop=shop):
        fund(shop, Decimal("80.00"))
        w = svc.withdrawal_request(shop=shop, actor=owner, amount=Decimal("30.00"))
    url = reverse("admin:orders_withdrawal_changelist")
    assert staff_client.get(url).status_code == 200
    assert (
        staff_client.get(reverse("admin:orders_withdrawal_change", args=[w.pk])).status_code == 200
    )
    post_action(staff_client, "admin:orders_withdrawal_changelist", "mark_failed", [w.pk])
    w.refresh_from_db()
    assert w.status == "failed"
    with scope(shop=shop):
        assert svc.balances(shop=shop).available == Decimal("80.00")


def test_withdraw_page_is_owner_only(client, shop, bank):
    fund(shop, Decimal("80.00"))
    manager = MembershipFactory(shop=shop, role="manager").user
    client.force_login(manager)
    url = reverse("orders:finance_withdraw", kwargs={"shop_slug": shop.slug})
    assert client.post(url, {"amount": "20"}).status_code == 403
    assert not Withdrawal.objects.exists()


def test_withdraw_page_shows_clear_errors(verified_owner_client, shop):
    fund(shop, Decimal("80.00"))
    url = reverse("orders:finance_withdraw", kwargs={"shop_slug": shop.slug})
    response = verified_owner_client.post(url, {"amount": "20"})
    assert response.status_code == 400
    assert "verified account" in response.content.decode()


def test_withdraw_page_succeeds(verified_owner_client, shop, bank):
    fund(shop, Decimal("80.00"))
    url = reverse("orders:finance_withdraw", kwargs={"shop_slug": shop.slug})
    confirm = verified_owner_client.post(url, {"amount": "80.00"}).content.decode()
    assert "Withdraw $80.00?" in confirm  # asked once more, naming the amount
    response = verified_owner_client.post(url, {"amount": "80.00", "confirm": "1"}, follow=True)
    assert "Withdrawal of $80.00 requested" in response.content.decode()
    assert 'id="balance-available">$0.00<' in response.content.decode()


# --- Statements ------------------------------------------------------------------------------


def test_statement_page_and_csv_reflect_the_month_to_the_cent(owner_client, shop, owner):
    with scope(shop=shop):
        order = delivered_order(shop, delivered_at=at(2026, 3, 1))
        complete(order, at(2026, 3, 20))
    svc.finance_settle_due(as_of=at(2026, 3, 27, 13))
    with scope(shop=shop):
        march = svc.balances(shop=shop)
    url = reverse("orders:finance_statement", kwargs={"shop_slug": shop.slug})
    html = owner_client.get(url + "?month=2026-03").content.decode()
    assert "Statement · March 2026" in html
    assert '<dt>Sale</dt><dd class="num">$100.00</dd>' in html
    assert '<dt>Commission</dt><dd class="num">−$5.40</dd>' in html
    assert f'id="closing-available">${march.available}<' in html
    csv = owner_client.get(url + "?month=2026-03&format=csv")
    assert csv["Content-Type"].startswith("text/csv")
    body = csv.content.decode()
    assert ",Sale,Pending," in body and body.strip().endswith("Closing available,,,,94.60")
    empty = owner_client.get(url + "?month=2026-02").content.decode()
    assert "No transactions this month" in empty
    assert owner_client.get(url + "?month=2026-13").status_code == 404


def test_finance_staff_edit_rates_and_add_adjustments_in_the_admin(staff_client, shop):
    response = staff_client.post(
        reverse("admin:orders_commissionrate_add"), {"region": "US", "rate": "0.0450"}
    )
    assert response.status_code == 302
    with scope(shop=shop):
        assert svc.commission_rate_for(region="US", category=None) == Decimal("0.0450")
    response = staff_client.post(
        reverse("admin:orders_ledgerentry_add"),
        {"shop": shop.pk, "bucket": "available", "amount": "12.34", "memo": "Goodwill credit"},
    )
    assert response.status_code == 302
    with scope(shop=shop):
        entry = LedgerEntry.objects.get(shop=shop)
        assert entry.kind == "adjustment" and svc.balances(shop=shop).available == Decimal("12.34")
    assert staff_client.get(reverse("admin:orders_ledgerentry_changelist")).status_code == 200


def test_finance_group_may_edit_rates_but_not_returns(client, shop):
    from django.contrib.auth.models import Group

    from tests.factories import UserFactory

    staffer = UserFactory(is_staff=True)
    staffer.groups.add(Group.objects.get(name="Finance"))
    sign_in_verified(client, staffer)
    assert client.get(reverse("admin:orders_commissionrate_changelist")).status_code == 200
    assert client.get(reverse("admin:orders_returnrequest_changelist")).status_code == 403


def test_withdrawing_needs_two_step_and_a_fresh_reauthentication(owner_client, shop, bank):
    fund(shop, Decimal("80.00"))
    url = reverse("orders:finance_withdraw", kwargs={"shop_slug": shop.slug})
    response = owner_client.post(url, {"amount": "20"})
    assert response.status_code == 302 and "/security/" in response["Location"]
    assert not Withdrawal.objects.exists()
