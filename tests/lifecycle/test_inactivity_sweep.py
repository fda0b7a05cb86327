"""SPEC §9.2, to the day: the sweep run day by day for shops in every situation."""

from datetime import timedelta

import pytest
from celery.exceptions import Retry
from django.core import mail
from django.core.management import CommandError, call_command
from django_scopes import scope, scopes_disabled

from accounts.models import AuditEvent
from catalog.models import Product
from common.clock import local_date
from lifecycle.models import InactivityEpisode, InactivityNotice, SweepRun
from lifecycle.services.inactivity import emails, sweep
from lifecycle.services.inactivity.sweep import SweepDateError, sweep_inactivity
from sellercenter.celery import BEAT_SCHEDULE
from shops import activity
from shops.models import Shop
from tests.lifecycle.conftest import day, make_seller_shop, moment

pytestmark = pytest.mark.django_db

# What an owner receives, told apart by subject.
SUBJECT_KIND = [
    ("has been inactive: sign in", "reminder-1"),
    ("were delisted for inactivity", "delisted"),
    ("Final reminder", "reminder-2"),
    ("banned permanently for inactivity", "banned"),
    ("kept your shop open", "ban-waived"),
]


def kind_of(message) -> str:
    return next(kind for text, kind in SUBJECT_KIND if text in message.subject)


def emails_by_shop() -> dict[str, list[str]]:
    """{shop slug: [kinds…]} from the outbox (owners are owner@<slug>.test), then empty it."""
    out: dict[str, list[str]] = {}
    for message in mail.outbox:
        (recipient,) = message.to
        out.setdefault(recipient.split("@")[1].removesuffix(".test"), []).append(kind_of(message))
    mail.outbox.clear()
    return out


def state(shop) -> tuple[str, bool, list[str]]:
    shop.refresh_from_db()
    with scope(shop=shop):
        statuses = sorted(
            Product.objects.filter(shop=shop).values_list("status", flat=True).order_by("status")
        )
    return shop.status, shop.in_investigation, statuses


LIVE = ["deactivated", "draft", "live", "live"]
DELISTED = ["deactivated", "delisted", "delisted", "draft"]


def test_a_hundred_days_for_shops_in_every_situation(run_sweep):
    plain = make_seller_shop("Plain")
    deposit = make_seller_shop("Deposit", deposit=True)
    back63 = make_seller_shop("Back63")
    back95 = make_seller_shop("Back95")
    back95_deposit = make_seller_shop("Back95dep", deposit=True)
    late = make_seller_shop("Late", last_active_day=5)  # five days behind the others
    expected_emails = {
        60: {
            "plain": ["reminder-1"],
            "deposit": ["reminder-1"],
            "back63": ["reminder-1"],
            "back95": ["reminder-1"],
            "back95dep": ["reminder-1"],
        },
        65: {"late": ["reminder-1"]},
        67: {
            "plain": ["delisted"],
            "deposit": ["delisted"],
            "back95": ["delisted"],
            "back95dep": ["delisted"],
        },
        72: {"late": ["delisted"]},
        90: {
            "plain": ["reminder-2"],
            "deposit": ["reminder-2"],
            "back95": ["reminder-2"],
            "back95dep": ["reminder-2"],
        },
        95: {"late": ["reminder-2"]},
        97: {"plain": ["banned"], "deposit": ["ban-waived"]},
    }
    for n in range(0, 101):
        if n == 63:
            activity.record(shop=back63, kind=activity.Kind.PRODUCT_MODIFIED, at=moment(63, 9))
        if n == 95:
            for shop in (back95, back95_deposit):
                activity.record(shop=shop, kind=activity.Kind.SIGNED_IN, at=moment(95, 8))
        run_sweep(n)
        assert emails_by_shop() == expected_emails.get(n, {}), f"day {n}"

        # Statuses, each day.
        plain_state = (
            ("active", False, LIVE)
            if n < 67
            else ("active", True, DELISTED)
            if n < 97
            else ("banned", True, DELISTED)
        )
        assert state(plain) == plain_state, f"plain, day {n}"
        deposit_state = ("active", False, LIVE) if n < 67 else ("active", True, DELISTED)
        assert state(deposit) == deposit_state, f"deposit, day {n}"
        assert state(back95) == deposit_state, f"back on day 95, day {n}"
        assert state(back95_deposit) == deposit_state, f"back on day 95 with deposit, day {n}"
        assert state(back63) == ("active", False, LIVE), f"back on day 63, day {n}"
        late_state = (
            ("active", False, LIVE)
            if n < 72
            else ("active", True, DELISTED)  # day 102 would ban it
        )
        assert state(late) == late_state, f"late, day {n}"

    # The countdown stopped for the shops that came back: their episodes are closed.
    for shop in (back63, back95, back95_deposit):
        with scope(shop=shop):
            assert not InactivityEpisode.objects.filter(closed_at__isnull=True).exists()
    with scope(shop=deposit):
        assert InactivityEpisode.objects.get().stage == "ban_waived"
    assert SweepRun.objects.count() == 101
    assert SweepRun.objects.get(run_date=day(97)).banned == 1
    assert SweepRun.objects.get(run_date=day(97)).bans_waived == 1


def test_missed_runs_are_caught_up_with_seven_days_of_warning(run_sweep):
    shop = make_seller_shop("Missed")
    run_sweep(58)
    # The sweep did not run on days 59–68; the shop is found at day 69 with no reminder.
    run_sweep(69)
    assert emails_by_shop() == {"missed": ["reminder-1"]}
    assert state(shop) == ("active", False, LIVE)
    for n in range(70, 76):
        run_sweep(n)
        assert emails_by_shop() == {} and state(shop)[2] == LIVE, f"day {n}"
    run_sweep(76)  # 7 days after the reminder
    assert emails_by_shop() == {"missed": ["delisted"]}
    assert state(shop) == ("active", True, DELISTED)


def test_a_shop_found_past_day_90_still_moves_one_stage_a_day(run_sweep):
    shop = make_seller_shop("Found")
    run_sweep(95)
    assert emails_by_shop() == {"found": ["reminder-1"]}
    run_sweep(102)
    assert emails_by_shop() == {"found": ["delisted"]}
    run_sweep(102)  # the same day again: the second reminder waits for the next day
    assert emails_by_shop() == {}
    run_sweep(103)
    assert emails_by_shop() == {"found": ["reminder-2"]}
    run_sweep(109)
    assert state(shop)[0] == "active"
    run_sweep(110)
    assert emails_by_shop() == {"found": ["banned"]}
    assert state(shop)[0] == "banned"


@pytest.mark.parametrize("deposit", [False, True])
@pytest.mark.parametrize(
    ("stage_day", "kind"), [(60, "reminder-1"), (67, "delisted"), (90, "reminder-2"), (97, None)]
)
def test_every_boundary_on_both_sides(run_sweep, deposit, stage_day, kind):
    shop = make_seller_shop("Edge", deposit=deposit)
    for n in range(0, stage_day - 1):
        run_sweep(n)
    mail.outbox.clear()
    before = state(shop)
    run_sweep(stage_day - 1)
    assert emails_by_shop() == {} and state(shop) == before, f"day {stage_day - 1}"
    run_sweep(stage_day)
    final = kind or ("ban-waived" if deposit else "banned")
    assert emails_by_shop() == {"edge": [final]}, f"day {stage_day}"
    after = state(shop)
    if stage_day == 60:
        assert after == ("active", False, LIVE)
    elif stage_day in (67, 90):
        assert after == ("active", True, DELISTED)
    else:
        assert after == ("active" if deposit else "banned", True, DELISTED)
    run_sweep(stage_day + 1)
    assert emails_by_shop() == {} and state(shop) == after, f"day {stage_day + 1}"


@pytest.mark.parametrize(("hour", "minute", "reminded_on"), [(23, 59, 60), (0, 0, 60)])
def test_calendar_days_are_counted_in_the_platform_time_zone(run_sweep, hour, minute, reminded_on):
    # 23:59 and 00:00 local on day 0 are both "day 0"; 00:00 on day 1 is a day later.
    make_seller_shop("Tz", hour=hour, minute=minute)
    run_sweep(reminded_on - 1)
    assert emails_by_shop() == {}
    run_sweep(reminded_on)
    assert emails_by_shop() == {"tz": ["reminder-1"]}


def test_activity_just_after_local_midnight_counts_for_the_new_day(run_sweep):
    shop = make_seller_shop("Midnight")
    Shop.objects.filter(pk=shop.pk).update(last_activity_at=moment(1, 0, 0))
    run_sweep(60)
    assert emails_by_shop() == {}
    run_sweep(61)
    assert emails_by_shop() == {"midnight": ["reminder-1"]}


def test_running_twice_a_day_sends_and_does_nothing_twice(run_sweep):
    shop = make_seller_shop("Twice")
    for n in (60, 60, 67, 67, 67, 90, 90, 97, 97):
        run_sweep(n)
    assert emails_by_shop() == {"twice": ["reminder-1", "delisted", "reminder-2", "banned"]}
    with scope(shop=shop):
        assert InactivityNotice.objects.count() == 4
    actions = sorted(
        AuditEvent.objects.filter(shop_id=shop.pk).values_list("action", "actor_label")
    )
    assert actions == [
        ("lifecycle.inactivity.banned", "system"),
        ("lifecycle.inactivity.delisted", "system"),
        ("lifecycle.inactivity.first_reminder", "system"),
        ("lifecycle.inactivity.second_reminder", "system"),
    ]
    ban = AuditEvent.objects.get(shop_id=shop.pk, action="lifecycle.inactivity.banned")
    assert ban.actor is None and ban.changes["status"] == ["active", "banned"]
    second = SweepRun.objects.filter(run_date=day(67)).order_by("id")
    assert [r.delisted for r in second] == [1, 0, 0]


def test_a_run_killed_half_way_changes_nothing_and_the_rerun_finishes(run_sweep, monkeypatch):
    shops = [make_seller_shop(f"Crash{i}") for i in range(3)]
    for n in range(0, 61):
        run_sweep(n)
    mail.outbox.clear()

    def die(**kwargs):
        raise RuntimeError("worker killed")

    # Killed after the ban and reminder stages, while delisting products.
    monkeypatch.setattr(sweep, "products_system_delist_by_shop", die)
    with pytest.raises(RuntimeError):
        run_sweep(67)
    assert mail.outbox == []
    assert all(state(s) == ("active", False, LIVE) for s in shops)
    assert SweepRun.objects.get(run_date=day(67)).status == "running"  # the dead run shows

    monkeypatch.undo()
    run_sweep(67)
    assert emails_by_shop() == {f"crash{i}": ["delisted"] for i in range(3)}
    assert all(state(s) == ("active", True, DELISTED) for s in shops)


def test_emails_interrupted_half_way_are_finished_by_the_next_run_without_duplicates(
    run_sweep, monkeypatch
):
    for i in range(4):
        make_seller_shop(f"Mail{i}")
    real_send = emails._notice_email
    calls = {"n": 0}

    class Dies:
        def send(self):
            raise ConnectionError("SMTP went away")

    def flaky(notice, recipients):
        calls["n"] += 1
        return Dies() if calls["n"] >= 3 else real_send(notice, recipients)

    monkeypatch.setattr(emails, "_notice_email", flaky)
    monkeypatch.setattr(sweep, "EMAIL_CHUNK_SIZE", 10)
    # The worker dies mid-chunk (eagerly, Celery raises its Retry); two emails went out.
    with pytest.raises((ConnectionError, Retry)):
        run_sweep(60)
    assert sum(len(v) for v in emails_by_shop().values()) == 2
    with scopes_disabled():  # the notices of all four shops
        assert InactivityNotice.objects.filter(emailed_at__isnull=True).count() == 2

    monkeypatch.setattr(emails, "_notice_email", real_send)
    run_sweep(60)  # the same day again: only the two unsent ones go
    assert sorted(emails_by_shop()) == sorted(
        slug for slug in ("mail0", "mail1", "mail2", "mail3") if slug not in {"mail0", "mail1"}
    )
    with scopes_disabled():  # the notices of all four shops
        assert InactivityNotice.objects.filter(emailed_at__isnull=True).count() == 0


def test_dry_run_reports_and_changes_nothing(run_sweep):
    shop = make_seller_shop("Dry")
    run_sweep(60)
    mail.outbox.clear()
    runs = SweepRun.objects.count()
    result = run_sweep(67, dry_run=True)
    assert result.counts["delisted"] == 1 and result.counts["products_delisted"] == 2
    assert mail.outbox == [] and SweepRun.objects.count() == runs
    assert state(shop) == ("active", False, LIVE)
    with scope(shop=shop):
        assert InactivityNotice.objects.count() == 1


def test_only_active_shops_are_swept(run_sweep):
    for status in ("deactivated", "pending_verification", "banned", "deleted"):
        make_seller_shop(f"S-{status}")
        Shop.objects.filter(slug=f"s-{status}").update(status=status)
    for n in (60, 67, 90, 97):
        run_sweep(n)
    with scopes_disabled():  # none of the four shops has an episode
        assert mail.outbox == [] and not InactivityEpisode.objects.exists()


def test_each_member_owner_is_told_and_staff_are_not(run_sweep):
    from tests.factories import MembershipFactory

    shop = make_seller_shop("Team")
    MembershipFactory(shop=shop, role="owner", user__email="second-owner@team.test")
    MembershipFactory(shop=shop, role="staff", user__email="staff@team.test")
    run_sweep(60)
    (message,) = mail.outbox
    assert sorted(message.to) == ["owner@team.test", "second-owner@team.test"]


def test_management_command_runs_reports_and_refuses_bad_dates(capsys):
    shop = make_seller_shop("Cmd")
    call_command("sweep_inactivity", "--date", day(60).isoformat(), "--dry-run")
    out = capsys.readouterr().out
    assert "first reminders: 1" in out and "Dry run: nothing was changed." in out
    with scope(shop=shop):
        assert not InactivityEpisode.objects.exists()

    call_command("sweep_inactivity", "--date", day(60).isoformat())
    with scope(shop=shop):
        assert InactivityEpisode.objects.count() == 1
    assert "first reminders: 1" in capsys.readouterr().out

    tomorrow = (local_date() + timedelta(days=1)).isoformat()
    for bad, message in ((tomorrow, "in the future"), ("2026-13-45", "Unparsable date")):
        with pytest.raises(CommandError, match=message):
            call_command("sweep_inactivity", "--date", bad)
    with pytest.raises(SweepDateError):
        sweep_inactivity(run_date=local_date() + timedelta(days=1))


def test_the_beat_task_sweeps_today():
    from lifecycle.tasks import sweep_inactivity_task

    assert (
        BEAT_SCHEDULE["lifecycle-sweep-inactivity"]["task"]
        == "lifecycle.tasks.sweep_inactivity_task"
    )
    result = sweep_inactivity_task.delay().get()
    assert SweepRun.objects.get(pk=result["run_id"]).run_date == local_date()


def test_activity_closes_the_episode_but_lifts_nothing(run_sweep):
    shop = make_seller_shop("Closer")
    run_sweep(60)
    run_sweep(67)
    activity.record(shop=shop, kind=activity.Kind.ORDER_PROCESSED, at=moment(70))
    with scope(shop=shop):
        episode = InactivityEpisode.objects.get()
    assert episode.closed_reason == "activity"
    assert state(shop) == ("active", True, DELISTED)  # re-listing is the seller's explicit step


def test_activity_the_signal_missed_still_stops_the_countdown(run_sweep):
    shop = make_seller_shop("Bulk")
    run_sweep(60)
    Shop.objects.filter(pk=shop.pk).update(last_activity_at=moment(62))  # a bulk write
    result = run_sweep(67)
    assert result.counts["episodes_closed"] == 1 and result.counts["delisted"] == 0
    assert state(shop) == ("active", False, LIVE)


@pytest.mark.parametrize("kind", [k.value for k in activity.Kind])
def test_every_kind_of_activity_moves_the_countdown(run_sweep, kind):
    shop = make_seller_shop("Kind")
    run_sweep(60)
    activity.record(shop=shop, kind=kind, at=moment(61))
    for n in range(61, 121):
        run_sweep(n)
    assert emails_by_shop() == {"kind": ["reminder-1"]}  # only the day-60 one
    run_sweep(121)  # 60 days after the activity on day 61
    assert emails_by_shop() == {"kind": ["reminder-1"]}
    with scope(shop=shop):
        assert InactivityEpisode.objects.count() == 2
