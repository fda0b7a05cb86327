"""SPEC §9.2: a ban lifted by trust & safety starts a new inactivity episode from the day of the
lift — the first reminder 60 days later, and so on — never from the activity before the ban."""

from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone
from django_scopes import scope

from accounts.models import AuditEvent
from common.policy import POLICY
from lifecycle.models import InactivityEpisode, InactivityNotice
from lifecycle.selectors import inactivity_status
from lifecycle.services.leaving import shop_lift_ban
from shops.models import Shop
from shops.services.staff import shop_ban
from tests.factories import UserFactory
from tests.lifecycle.conftest import day, make_seller_shop, moment

pytestmark = pytest.mark.django_db

LIFT = 100  # the day trust & safety lift the sweep's day-97 ban


@pytest.fixture
def lift_on(django_capture_on_commit_callbacks):
    """Staff lift the shop's ban at 15:00 on day ``n``; the owner's email goes out."""

    def lift(shop, n: int) -> None:
        staff = UserFactory(email=f"trust{n}@platform.test", is_staff=True)
        with (
            mock.patch.object(timezone, "now", return_value=moment(n, 15)),
            django_capture_on_commit_callbacks(execute=True),
        ):
            shop_lift_ban(shop=shop, actor=staff)

    return lift


def banned_on_day_97(run_sweep):
    shop = make_seller_shop("Sleepy")
    for n in (60, 67, 90, 97):
        run_sweep(n)
    shop.refresh_from_db()
    assert shop.status == "banned"
    mail.outbox.clear()
    return shop


def stages_by_day(shop) -> dict[int, str]:
    with scope(shop=shop):
        return {
            (notice.on_date - day(0)).days: notice.stage
            for notice in InactivityNotice.objects.filter(shop=shop)
        }


def test_after_a_lift_every_stage_counts_from_the_lift_day(lift_on, run_sweep):
    shop = banned_on_day_97(run_sweep)
    lift_on(shop, LIFT)
    shop.refresh_from_db()
    assert shop.status == "active"
    (lifted,) = mail.outbox
    assert "lifted" in lifted.subject and "Re-list my store" in lifted.body
    assert f"first reminder is sent on {day(LIFT + 60):%B %-d, %Y}" in lifted.body
    mail.outbox.clear()

    for n in range(LIFT, LIFT + POLICY.inactivity_ban_days + 1):
        run_sweep(n)
    after_lift = {n - LIFT: stage for n, stage in stages_by_day(shop).items() if n >= LIFT}
    assert after_lift == {
        60: "first_reminder",
        # Products are still delisted from the first episode: the shop is under investigation.
        67: "delisted",
        90: "second_reminder",
        97: "banned",
    }
    shop.refresh_from_db()
    assert shop.status == "banned"


@pytest.mark.parametrize(("days_after_lift", "reminded"), [(59, False), (60, True)])
def test_the_first_reminder_after_a_lift_is_sixty_days_after_it(
    lift_on, run_sweep, days_after_lift, reminded
):
    shop = banned_on_day_97(run_sweep)
    lift_on(shop, LIFT)
    mail.outbox.clear()
    run_sweep(LIFT + 1)  # the day after the lift: nothing (it used to remind at once)
    run_sweep(LIFT + days_after_lift)
    with scope(shop=shop):
        episode = InactivityEpisode.objects.filter(shop=shop, closed_at__isnull=True).first()
    assert (episode is not None) is reminded
    assert len(mail.outbox) == (1 if reminded else 0)
    if reminded:
        assert episode.started_at == moment(LIFT, 15)
        assert "no activity in Seller Center for 60 days" in " ".join(mail.outbox[0].body.split())


@pytest.mark.parametrize(("days_after_lift", "delisted"), [(66, False), (67, True)])
def test_delisting_after_a_lift_comes_sixty_seven_days_after_it(
    lift_on, run_sweep, days_after_lift, delisted
):
    shop = banned_on_day_97(run_sweep)
    lift_on(shop, LIFT)
    run_sweep(LIFT + 60)
    run_sweep(LIFT + days_after_lift)
    with scope(shop=shop):
        stage = InactivityEpisode.objects.get(shop=shop, closed_at__isnull=True).stage
    assert stage == ("delisted" if delisted else "first_reminder")


def test_the_banner_counts_down_from_the_lift(lift_on, run_sweep):
    shop = banned_on_day_97(run_sweep)
    lift_on(shop, LIFT)
    shop.refresh_from_db()
    with scope(shop=shop):
        status = inactivity_status(shop, day(LIFT + 1))
    assert (status.next_action_label, status.next_action_date) == (
        "Inactivity reminder",
        day(LIFT + 60),
    )
    assert status.days_until_next_action == 59 and status.days_inactive == 1


def test_a_staff_ban_that_froze_an_open_episode_is_lifted_into_a_fresh_one(lift_on, run_sweep):
    """Banned by staff while the first reminder stood: the lift closes that episode, so the
    sweep does not delist the next day from the reminder before the ban."""
    shop = make_seller_shop("Sleepy")
    run_sweep(60)
    staff = UserFactory(email="trust@platform.test", is_staff=True)
    shop_ban(shop=shop, actor=staff, reason="Counterfeit goods")
    lift_on(shop, 70)
    run_sweep(71)
    with scope(shop=shop):
        episodes = list(InactivityEpisode.objects.filter(shop=shop).values_list("closed_reason"))
    assert episodes == [("ban_lifted",)]
    shop.refresh_from_db()
    assert (shop.status, shop.in_investigation) == ("active", False)
    assert AuditEvent.objects.filter(shop_id=shop.pk, action="lifecycle.shop_active").exists()
    assert Shop.objects.get(pk=shop.pk).inactive_since == moment(70, 15)
