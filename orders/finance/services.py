"""Finance (SPEC §7): commission, the ledger, settlement and withdrawals.

Balances are sums of LedgerEntry rows by bucket (see the model); nothing here stores a balance.
Money moves only in these functions, each atomic; withdrawals lock the Shop row so two at once
can never overdraw the available balance.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from accounts import audit
from catalog.models import Category
from common.errors import BadInput, Refused
from common.money import format_money
from common.policy import POLICY
from common.transitions import transition
from orders.finance.models import CommissionRate, LedgerEntry, OrderSettlement, Withdrawal
from orders.models import Order
from orders.returns.models import ReturnRequest, line_paid
from shops.models import Shop

Kind, Bucket = LedgerEntry.Kind, LedgerEntry.Bucket
CENT = Decimal("0.01")
ZERO = Decimal("0.00")


# --- Commission and sales --------------------------------------------------------------------


def commission_rate_for(*, region: str, category: Category | None) -> Decimal:
    """The most specific rate: the category (then its parents) in the region, then in any
    region; then the region's default row, any region's; then the settings default."""
    rows = {(r.region, r.category_id): r.rate for r in CommissionRate.objects.all()}
    chain: list[int | None] = []
    while category is not None:
        chain.append(category.pk)
        category = category.parent
    for category_id in [*chain, None]:
        for area in (region, ""):
            if (area, category_id) in rows:
                return rows[(area, category_id)]
    return POLICY.commission_default_rate


def finance_book_sale(*, shop: Shop, order: Order, now: datetime | None = None):
    """Book a completed order: the sale and its commission, pending until the hold ends.

    Idempotent (one OrderSettlement per order). The commission base per line is what the buyer
    paid for it less what was refunded on it before completion.
    """
    now = now or timezone.now()
    with transaction.atomic():
        Shop.objects.select_for_update().get(pk=shop.pk)
        if OrderSettlement.objects.filter(shop=shop, order=order).exists():
            return None
        refunded_by_line: dict[int, Decimal] = {}
        for r in ReturnRequest.objects.filter(shop=shop, order=order, refund_amount__isnull=False):
            refunded_by_line[r.line_id] = refunded_by_line.get(r.line_id, ZERO) + r.refund_amount
        detail, base_total, commission = [], ZERO, ZERO
        for line in order.lines.select_related("product__category__parent"):
            base = max(line_paid(line, order) - refunded_by_line.get(line.pk, ZERO), ZERO)
            category = line.product.category if line.product_id else None
            rate = commission_rate_for(region=shop.region, category=category)
            amount = (base * rate).quantize(CENT, ROUND_HALF_UP)
            detail.append(
                {"line": line.pk, "title": line.title, "base": str(base), "rate": str(rate)}
                | {"amount": str(amount)}
            )
            base_total += base
            commission += amount
        available_at = now + timedelta(days=POLICY.settlement_hold_days)
        settlement = OrderSettlement.objects.create(
            shop=shop,
            order=order,
            gross=order.total,
            commission_base=base_total,
            commission=commission,
            commission_detail=detail,
            completed_at=now,
            available_at=available_at,
        )
        entry = {"shop": shop, "order": order, "bucket": Bucket.PENDING, "created_at": now}
        LedgerEntry.objects.create(
            kind=Kind.SALE,
            amount=order.total,
            memo=f"Order {order.number}",
            available_at=available_at,
            **entry,
        )
        if commission:
            LedgerEntry.objects.create(
                kind=Kind.COMMISSION,
                amount=-commission,
                memo=f"Commission on order {order.number}",
                available_at=available_at,
                **entry,
            )
    return settlement


def ledger_book_refund(*, shop: Shop, return_request: ReturnRequest, amount: Decimal, actor=None):
    """A refund comes out of the order's pending money, or out of available once it settled."""
    settled = OrderSettlement.objects.filter(
        shop=shop, order_id=return_request.order_id, settled_at__isnull=False
    ).exists()
    return LedgerEntry.objects.create(
        shop=shop,
        kind=Kind.REFUND,
        bucket=Bucket.AVAILABLE if settled else Bucket.PENDING,
        amount=-amount,
        order_id=return_request.order_id,
        return_request=return_request,
        memo=f"Refund for return #{return_request.pk} (order {return_request.order.number})",
        actor=actor if getattr(actor, "pk", None) else None,
    )


def finance_settle_due(*, as_of: datetime) -> int:
    """Move each completed order's pending money into available once its hold has ended."""
    with scopes_disabled():
        due = list(
            OrderSettlement.objects.filter(settled_at__isnull=True, available_at__lte=as_of)
            .select_related("shop", "order")
            .order_by("available_at")
        )
    settled = 0
    for settlement in due:
        with scope(shop=settlement.shop), transaction.atomic():
            shop = Shop.objects.select_for_update().get(pk=settlement.shop_id)
            locked = OrderSettlement.objects.select_for_update().get(pk=settlement.pk)
            if locked.settled_at is not None:
                continue
            pending = (
                LedgerEntry.objects.filter(
                    shop=shop, order_id=locked.order_id, bucket=Bucket.PENDING
                ).aggregate(s=Sum("amount"))["s"]
                or ZERO
            )
            memo = f"Order {settlement.order.number} settled"
            for bucket, amount in ((Bucket.PENDING, -pending), (Bucket.AVAILABLE, pending)):
                LedgerEntry.objects.create(
                    shop=shop,
                    kind=Kind.SETTLEMENT,
                    bucket=bucket,
                    amount=amount,
                    order_id=locked.order_id,
                    memo=memo,
                    created_at=as_of,
                )
            locked.settled_at, locked.settled_amount = as_of, pending
            locked.save(update_fields=["settled_at", "settled_amount"])
            settled += 1
    return settled


# --- Balances and statements -----------------------------------------------------------------


@dataclass(frozen=True)
class Balances:
    pending: Decimal
    available: Decimal

    @property
    def total(self) -> Decimal:
        return self.pending + self.available


def balances(*, shop: Shop, before: datetime | None = None) -> Balances:
    """Pending and available: sums of the ledger (optionally as it stood before a moment)."""
    rows = LedgerEntry.objects.filter(shop=shop)
    if before is not None:
        rows = rows.filter(created_at__lt=before)
    sums = rows.aggregate(
        pending=Sum("amount", filter=Q(bucket=Bucket.PENDING)),
        available=Sum("amount", filter=Q(bucket=Bucket.AVAILABLE)),
    )
    return Balances(pending=_cents(sums["pending"]), available=_cents(sums["available"]))


def _cents(value) -> Decimal:
    # SQLite sums decimals loosely; every balance shown is exact to the cent.
    return (Decimal(value) if value is not None else ZERO).quantize(CENT)


# --- Withdrawals -----------------------------------------------------------------------------


def withdrawal_request(*, shop: Shop, actor, amount: Decimal) -> Withdrawal:
    """Withdraw to the verified bank account, never more than available (under a shop lock)."""
    amount = _withdrawal_amount(amount)
    account = _payout_account(shop)
    with transaction.atomic():
        # The lock that serialises every withdrawal of this shop: the balance read below
        # cannot change until this transaction ends.
        Shop.objects.select_for_update().get(pk=shop.pk)
        _check_available(amount, balances(shop=shop).available)
        withdrawal = Withdrawal.objects.create(
            shop=shop,
            amount=amount,
            currency=shop.currency,
            bank_account_label=_account_label(account),
            requested_by=actor,
        )
        LedgerEntry.objects.create(
            shop=shop,
            kind=Kind.WITHDRAWAL,
            bucket=Bucket.AVAILABLE,
            amount=-amount,
            withdrawal=withdrawal,
            memo=f"Withdrawal to {withdrawal.bank_account_label}",
            actor=actor,
        )
        audit.record(
            actor=actor,
            action="finance.withdrawal_requested",
            shop=shop,
            target=withdrawal,
            changes={"amount": (None, amount)},
        )
    return withdrawal


@dataclass(frozen=True)
class WithdrawalPreview:
    amount: Decimal
    destination: str  # the verified account, masked


def withdrawal_preview(*, shop: Shop, amount) -> WithdrawalPreview:
    """What ``withdrawal_request`` would do, with its checks, writing nothing (the confirmation)."""
    amount = _withdrawal_amount(amount)
    account = _payout_account(shop)
    _check_available(amount, balances(shop=shop).available)
    return WithdrawalPreview(amount=amount, destination=_account_label(account))


def _withdrawal_amount(amount) -> Decimal:
    try:
        amount = Decimal(amount).quantize(CENT)
    except (ArithmeticError, TypeError, ValueError) as exc:
        raise BadInput("Enter the amount to withdraw, e.g. 125.00.") from exc
    minimum = POLICY.withdrawal_min_amount
    if amount < minimum:
        raise BadInput(f"The minimum withdrawal is {format_money(minimum)}.")
    return amount


def _payout_account(shop: Shop):
    account = _verified_bank_account(shop)
    if account is None:
        raise BadInput(
            "Add a bank account and have it verified before withdrawing: payouts go only to a "
            "verified account."
        )
    return account


def _check_available(amount: Decimal, available: Decimal) -> None:
    if amount > available:
        raise Refused(
            f"You can withdraw at most {format_money(available)}, your available balance."
        )


def withdrawal_mark_paid(*, actor, withdrawal: Withdrawal) -> Withdrawal:
    return _withdrawal_transition(actor=actor, withdrawal=withdrawal, to=Withdrawal.Status.PAID)


def withdrawal_mark_failed(*, actor, withdrawal: Withdrawal, reason: str = "") -> Withdrawal:
    """The payout bounced: the money goes back to available."""
    return _withdrawal_transition(
        actor=actor, withdrawal=withdrawal, to=Withdrawal.Status.FAILED, reason=reason
    )


def _withdrawal_transition(*, actor, withdrawal: Withdrawal, to: str, reason: str = ""):
    """Through the transition helper, whose history row for a payout is its audit record."""
    with scope(shop=withdrawal.shop), transaction.atomic():
        Shop.objects.select_for_update().get(pk=withdrawal.shop_id)
        locked = transition(
            withdrawal,
            to,
            fields={"decided_at": timezone.now(), "decided_by": actor, "failure_reason": reason},
            history={"actor": actor},
            refused=lambda row: (
                f"Withdrawal #{row.pk} is already {row.get_status_display().lower()}."
            ),
        ).row
        if to == Withdrawal.Status.FAILED:
            LedgerEntry.objects.create(
                shop_id=locked.shop_id,
                kind=Kind.WITHDRAWAL,
                bucket=Bucket.AVAILABLE,
                amount=locked.amount,
                withdrawal=locked,
                memo=f"Withdrawal #{locked.pk} failed; returned to available",
                actor=actor,
            )
    return locked


def _verified_bank_account(shop: Shop):
    """The shop's payout account, or None. An account can only be saved when its holder matches
    the verified registration (shops.services.bank), and payouts need the shop verified too."""
    from shops.models import BankAccount

    if shop.status != Shop.Status.ACTIVE:
        return None
    return BankAccount.objects.filter(shop=shop).first()


def _account_label(account) -> str:
    return f"{account.get_kind_display()} {account.masked_number}"
