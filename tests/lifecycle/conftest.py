from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.utils import timezone

from lifecycle.services.inactivity.sweep import sweep_inactivity
from orders.models import OrderStatusChange
from shops.models import Shop
from tests.factories import (
    MembershipFactory,
    OrderFactory,
    ProductFactory,
    ShopFactory,
    listable_product,
)

# Day 0 of every scenario: the platform-calendar day of the shop's last activity. Day 60 falls
# on 2026-03-06 and day 67 on 2026-03-13: the countdown crosses the switch to daylight time.
DAY0 = date(2026, 1, 5)


def day(n: int) -> date:
    return DAY0 + timedelta(days=n)


def moment(n: int, hour: int = 12, minute: int = 0) -> datetime:
    """An aware instant on day ``n`` of the platform calendar."""
    return datetime.combine(
        day(n), time(hour, minute), tzinfo=ZoneInfo(settings.PLATFORM_TIME_ZONE)
    )


def make_seller_shop(name: str, *, last_active_day: int = 0, deposit: bool = False, **moment_kw):
    """A shop with an owner, two live products, one the seller deactivated and one draft (each
    passes the listing checks but the draft)."""
    shop = ShopFactory(name=name, slug=name.lower().replace(" ", "-"), store_deposit_paid=deposit)
    Shop.objects.filter(pk=shop.pk).update(last_activity_at=moment(last_active_day, **moment_kw))
    shop.refresh_from_db()
    MembershipFactory(shop=shop, role="owner", user__email=f"owner@{shop.slug}.test")
    for title in ("Live one", "Live two"):
        listable_product(shop, status="live", title=f"{name} {title}")
    listable_product(shop, status="deactivated", title=f"{name} paused")
    ProductFactory(shop=shop, title=f"{name} draft", status="draft")
    return shop


@pytest.fixture
def run_sweep(django_capture_on_commit_callbacks):
    """Run the sweep for day ``n`` and let its on-commit email fan-out happen."""

    def run(n: int, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return sweep_inactivity(run_date=day(n), **kwargs)

    return run


# --- Program eligibility (SPEC §3) ---------------------------------------------------------
def completed_orders(shop, count, *, days_ago=1):
    at = timezone.now() - timedelta(days=days_ago)
    for _ in range(count):
        order = OrderFactory(shop=shop, status="completed")
        OrderStatusChange.objects.create(
            shop=shop,
            order=order,
            from_status="delivered",
            to_status="completed",
            actor_kind="system",
            created_at=at,
        )


@pytest.fixture
def good_shop():
    shop = ShopFactory(sps=Decimal("4.00"), on_probation=False, status="active")
    completed_orders(shop, 100)
    return shop
