"""Lifecycle reads: where a shop stands in the inactivity countdown (SPEC §9.2)."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from catalog.models import Product
from common.clock import local_date, local_time
from common.figures import shop_figure, shops_figure_forget
from common.policy import POLICY
from lifecycle.models import InactivityEpisode, InactivityStage, ShopLink
from orders.finance.services import balances
from orders.models import Order
from orders.returns.selectors import open_returns_count
from shops.models import Shop

Stage = InactivityStage
# Every seller page's banner reads these facts: a shop figure (common.figures), forgotten by
# each change to them (forget_inactivity_banner), so the TTL only bounds a missed one.
BANNER_FIGURE = "inactivity_banner"


@dataclass(frozen=True)
class InactivityStatus:
    stage: str  # "" (no episode), an InactivityStage, or "relist" (delisted, episode over)
    days_inactive: int
    days_until_next_action: int | None  # None: nothing further will happen
    next_action_label: str
    next_action_date: date | None
    delisted_products: int  # delisted by the inactivity sweep, waiting for "Re-list my store"
    in_investigation: bool
    banned: bool
    has_deposit: bool

    @property
    def show_banner(self) -> bool:
        return bool(self.stage) or self.delisted_products > 0 or self.in_investigation

    @property
    def can_relist(self) -> bool:
        return not self.banned and (self.delisted_products > 0 or self.in_investigation)


def _banner_facts(shop: Shop) -> tuple[str, date | None, int]:
    """The open episode's stage and date, and the count of products delisted for inactivity:
    every seller page's banner asks, so they are a shop figure (one cache read)."""
    return shop_figure(shop.pk, BANNER_FIGURE, lambda: _banner_facts_now(shop)).value


def forget_inactivity_banner(shop_ids) -> None:
    """The banner facts of these shops changed (an episode opened, moved or closed; products
    delisted or re-listed): the next page reads them anew, once this transaction commits."""
    shops_figure_forget(shop_ids, BANNER_FIGURE)


def _banner_facts_now(shop: Shop) -> tuple[str, date | None, int]:
    """Two small queries: one with three correlated subqueries cost more to build than both."""
    episode = (
        InactivityEpisode.objects.filter(shop=shop, closed_at__isnull=True)
        .order_by("-id")
        .values_list("stage", "stage_date")
        .first()
    )
    delisted = Product.objects.filter(
        shop=shop, status=Product.Status.DELISTED, delisted_by=Product.DelistedBy.INACTIVITY
    ).count()
    stage, stage_date = episode or ("", None)
    return stage, stage_date, delisted


def inactivity_status(shop: Shop, today: date | None = None) -> InactivityStatus:
    """The shop's countdown on ``today`` (platform calendar): stage, next action and its date."""
    today = today or local_date()
    last_day = local_date(shop.inactive_since)  # the last activity, or a lifted ban
    days_inactive = max((today - last_day).days, 0)
    stage, stage_date, delisted = _banner_facts(shop)  # stage "": no open episode
    banned = shop.status == Shop.Status.BANNED
    label, when = "", None
    if banned:
        stage = Stage.BANNED
    elif not stage:
        label = "Inactivity reminder"
        when = last_day + timedelta(days=POLICY.inactivity_first_reminder_days)
        if delisted or shop.in_investigation:
            stage = "relist"
    elif stage == Stage.FIRST_REMINDER:
        label = "Every live product will be delisted"
        when = stage_date + timedelta(days=POLICY.inactivity_delist_after_reminder_days)
    elif stage == Stage.DELISTED:
        label = "Final reminder before a permanent ban"
        when = max(
            last_day + timedelta(days=POLICY.inactivity_second_reminder_days),
            stage_date + timedelta(days=1),
        )
    elif stage == Stage.SECOND_REMINDER:
        label = (
            "Ban waived by your store deposit; products stay delisted"
            if shop.store_deposit_paid
            else "Your shop will be banned permanently"
        )
        when = stage_date + timedelta(days=POLICY.inactivity_ban_after_reminder_days)
    if shop.status != Shop.Status.ACTIVE and not banned:
        label, when = "", None  # a deactivated shop is not swept
    return InactivityStatus(
        stage=stage,
        days_inactive=days_inactive,
        days_until_next_action=max((when - today).days, 0) if when else None,
        next_action_label=label,
        next_action_date=when,
        delisted_products=delisted,
        in_investigation=shop.in_investigation,
        banned=banned,
        has_deposit=shop.store_deposit_paid,
    )


def access_data_export(shop: Shop, data_export_id: int):
    """The shop's export, or 404 — the same answer for "missing" and "not yours"."""
    from django.shortcuts import get_object_or_404

    from lifecycle.models import DataExport

    return get_object_or_404(DataExport.objects.filter(shop=shop), pk=data_export_id)


def data_export_list(*, shop: Shop, limit: int = 10):
    from lifecycle.models import DataExport

    return list(DataExport.objects.filter(shop=shop).order_by("-created_at", "-id")[:limit])


@dataclass(frozen=True)
class ChecklistStep:
    label: str
    status: str  # what the seller sees now
    done: bool | None  # None: a step to review, with nothing to tick
    url_name: str
    link_label: str


def leaving_checklist(shop: Shop) -> list[ChecklistStep]:
    """SPEC §9.3 "leaving as a creator", with the live status of each step."""
    from lifecycle.models import DataExport

    checks = {c.key: c for c in deletion_preconditions(shop)}
    live = Product.objects.filter(shop=shop, status=Product.Status.LIVE).count()
    export = (
        DataExport.objects.filter(
            shop=shop, status=DataExport.Status.READY, expires_at__gt=timezone.now()
        )
        .order_by("-created_at")
        .first()
    )
    closing = shop.status in (Shop.Status.DEACTIVATED, Shop.Status.DELETED)
    return [
        ChecklistStep("Review your sales", "See your numbers before you go", None,
                      "orders:analytics", "Analytics"),
        ChecklistStep("Review campaigns", "Leave any campaign you registered for", None,
                      "catalog:marketing", "Marketing"),
        ChecklistStep("Review inventory", f"{live} live product{'s' if live != 1 else ''}",
                      None, "catalog:product_list", "Products"),
        ChecklistStep("Fulfil pending orders",
                      "None pending" if checks["orders"].ok else checks["orders"].detail,
                      checks["orders"].ok, "orders:order_list", "Orders"),
        ChecklistStep("Withdraw your funds",
                      "Nothing left to withdraw" if checks["balance"].ok
                      else checks["balance"].detail,
                      checks["balance"].ok, "orders:finance", "Finance"),
        ChecklistStep("Export your records",
                      f"Export ready until {local_time(export.expires_at):%b %-d}" if export
                      else "No export ready", bool(export), "lifecycle:export_list",
                      "Data export"),
        ChecklistStep("Deactivate or delete",
                      f"Shop is {shop.get_status_display().lower()}", closing,
                      "lifecycle:delete", "Deactivate or delete"),
    ]  # fmt: skip


def tiktok_link_of(shop: Shop) -> ShopLink:
    """The shop's TikTok link as stored, or the unsaved default (linked) for a shop that never
    unlinked. A read: it writes nothing (unlinking creates the row, in services.leaving)."""
    return ShopLink.objects.filter(shop=shop).first() or ShopLink(shop=shop)


# --- delete: what must be settled first ------------------------------------------------------

# Not yet with the buyer: still to ship, or on its way.
UNFULFILLED_ORDER_STATUSES = [
    *Order.TO_SHIP,
    Order.Status.AWAITING_COLLECTION,
    Order.Status.IN_TRANSIT,
]


@dataclass(frozen=True)
class Precondition:
    key: str
    label: str
    ok: bool
    detail: str
    fix_url_name: str
    fix_label: str


def deletion_preconditions(shop: Shop) -> list[Precondition]:
    unfulfilled = Order.objects.filter(shop=shop, status__in=UNFULFILLED_ORDER_STATUSES).count()
    open_returns = open_returns_count(shop=shop)
    balance = available_balance(shop)
    return [
        Precondition(
            "orders", "No unfulfilled orders", unfulfilled == 0,
            f"{unfulfilled} order{'s' if unfulfilled != 1 else ''} still to fulfil",
            "orders:order_list", "Fulfil or cancel orders",
        ),
        Precondition(
            "returns", "No open returns", open_returns == 0,
            f"{open_returns} return{'s' if open_returns != 1 else ''} still open",
            "orders:return_list", "Settle returns",
        ),
        Precondition(
            "balance", "No balance left to withdraw", balance <= 0,
            f"{shop.currency} {balance:.2f} still in your balance",
            "orders:finance", "Withdraw your balance",
        ),
    ]  # fmt: skip


def available_balance(shop: Shop) -> Decimal:
    """Money still owed to the shop: the ledger's pending and available balances."""
    money = balances(shop=shop)
    return money.pending + money.available
