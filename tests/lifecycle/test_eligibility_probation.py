"""SPEC §3 probation: caps while on it; graduation at 30 delivered, SPS 3.0, no violation in 30
days (checked daily); staff end or extend it; the page shows progress."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from accounts.models import AuditEvent
from lifecycle.probation import probation_sweep
from lifecycle.tasks import probation_sweep_task
from shops.models import Shop, ShopProbation
from shops.order_caps import probation_daily_order_cap
from shops.services.probation import (
    live_listing_cap,
    probation_end,
    probation_extend,
    probation_start,
)
from tests.factories import MembershipFactory, OrderFactory, ShopFactory, ViolationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def probation_shop():
    shop = ShopFactory(sps=Decimal("3.00"))
    MembershipFactory(shop=shop)
    probation_start(shop=shop, actor=None)
    for _ in range(15):
        OrderFactory(shop=shop, status="delivered")
        OrderFactory(shop=shop, status="completed")
    OrderFactory(shop=shop, status="in_transit")
    return shop


def sweep(capture):
    with capture(execute=True):
        probation_sweep()


def fresh(shop):
    return Shop.objects.get(pk=shop.pk)


def test_caps_apply_only_on_probation(probation_shop):
    assert probation_daily_order_cap(probation_shop) == 50
    assert live_listing_cap(probation_shop) == 100
    assert probation_daily_order_cap(ShopFactory(on_probation=False)) is None


def test_thirty_delivered_orders_sps_3_and_no_violation_ends_probation(
    probation_shop, django_capture_on_commit_callbacks
):
    sweep(django_capture_on_commit_callbacks)
    with scope(shop=probation_shop):
        assert not fresh(probation_shop).on_probation
        record = ShopProbation.objects.get(shop=probation_shop)
        assert record.ended_at and record.ended_by is None
        assert "passed probation" in mail.outbox[0].subject
        assert AuditEvent.objects.filter(action="probation.ended", actor=None).exists()


def test_29_delivered_orders_is_not_enough(probation_shop, django_capture_on_commit_callbacks):
    with scope(shop=probation_shop):
        probation_shop.orders.filter(status="completed").first().delete()
    sweep(django_capture_on_commit_callbacks)
    with scope(shop=probation_shop):
        assert fresh(probation_shop).on_probation


def test_sps_2_99_is_not_enough(probation_shop, django_capture_on_commit_callbacks):
    Shop.objects.filter(pk=probation_shop.pk).update(sps=Decimal("2.99"))
    sweep(django_capture_on_commit_callbacks)
    assert fresh(probation_shop).on_probation


@pytest.mark.parametrize("days_ago, stays", [(29, True), (31, False)])
def test_a_violation_in_the_last_30_days_keeps_it(
    probation_shop, django_capture_on_commit_callbacks, days_ago, stays
):
    ViolationFactory(shop=probation_shop, created_at=timezone.now() - timedelta(days=days_ago))
    sweep(django_capture_on_commit_callbacks)
    assert fresh(probation_shop).on_probation is stays


def test_staff_extension_holds_until_its_date(probation_shop, django_capture_on_commit_callbacks):
    with scope(shop=probation_shop):
        staff = MembershipFactory().user
        probation_extend(
            shop=probation_shop,
            actor=staff,
            until=timezone.localdate() + timedelta(days=10),
            reason="Many complaints",
        )
    sweep(django_capture_on_commit_callbacks)
    with scope(shop=probation_shop):
        assert fresh(probation_shop).on_probation
        ShopProbation.objects.filter(shop=probation_shop).update(
            extended_until=timezone.localdate()
        )
    sweep(django_capture_on_commit_callbacks)
    with scope(shop=probation_shop):
        assert not fresh(probation_shop).on_probation
        assert AuditEvent.objects.filter(action="probation.extended", actor=staff).exists()


def test_staff_can_end_it_by_hand(probation_shop):
    with scope(shop=probation_shop):
        staff = MembershipFactory().user
        Shop.objects.filter(pk=probation_shop.pk).update(sps=Decimal("1.0"))
        probation_end(shop=probation_shop, actor=staff, reason="Trusted brand")
        record = ShopProbation.objects.get(shop=probation_shop)
        assert record.ended_by == staff and not fresh(probation_shop).on_probation


def test_probation_starts_once(probation_shop):
    with scope(shop=probation_shop):
        probation_end(shop=probation_shop, actor=None, reason="done")
        assert probation_start(shop=probation_shop, actor=None) is None
        assert not fresh(probation_shop).on_probation


def test_the_daily_task_runs_the_sweep(probation_shop):
    probation_sweep_task()
    assert not fresh(probation_shop).on_probation


def test_page_shows_progress_towards_graduation(client, probation_shop):
    Shop.objects.filter(pk=probation_shop.pk).update(sps=Decimal("2.50"))
    owner = probation_shop.memberships.get().user
    client.force_login(owner)
    page = client.get(
        reverse("standing:probation", kwargs={"shop_slug": probation_shop.slug})
    ).content.decode()
    assert "up to <strong>50</strong> orders a day" in page
    assert "<strong>100</strong> products live" in page
    assert "Delivered orders</td><td>30</td><td>at least 30" in page
    assert "2.50</td><td>at least 3.0" in page
    assert page.count("Not yet") == 1
