"""The platform clock is the one home of calendar-day and wall-clock rules: each helper,
reached through common.clock, answers in PLATFORM_TIME_ZONE (America/Los_Angeles in tests)
while timestamps stay UTC."""

from datetime import UTC, date, datetime, time

import pytest
from django.template import Context, Template
from django.test import override_settings

from common import clock

# 07:30 UTC on 1 March is still 28 February in Los Angeles (UTC-8 in winter).
LATE_EVENING_LA = datetime(2026, 3, 1, 7, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _los_angeles():
    with override_settings(PLATFORM_TIME_ZONE="America/Los_Angeles"):
        yield


def test_local_date_and_time_follow_the_platform_calendar():
    assert clock.platform_tz().key == "America/Los_Angeles"
    assert clock.local_date(LATE_EVENING_LA) == date(2026, 2, 28)
    assert clock.local_time(LATE_EVENING_LA).time() == time(23, 30)
    assert clock.local_date() == datetime.now(clock.platform_tz()).date()


def test_a_calendar_day_begins_and_ends_at_platform_midnight():
    start = clock.day_start(date(2026, 2, 28))
    assert start == datetime(2026, 2, 28, 8, 0, tzinfo=UTC)
    assert clock.day_end(date(2026, 2, 28)) == datetime(2026, 3, 1, 7, 59, 59, 999999, tzinfo=UTC)
    assert clock.day_bounds(date(2026, 2, 28)) == (start, datetime(2026, 3, 1, 8, tzinfo=UTC))
    assert clock.day_bounds_of(LATE_EVENING_LA) == clock.day_bounds(date(2026, 2, 28))
    # Two days inclusive, across the spring-forward night (8 March 2026: 23 hours).
    first, last = clock.day_bounds(date(2026, 3, 8), date(2026, 3, 9))
    assert (last.astimezone(UTC) - first.astimezone(UTC)).total_seconds() == 47 * 3600


def test_months_for_statements_and_reports():
    assert clock.month_start(date(2026, 2, 28)) == date(2026, 2, 1)
    assert clock.previous_month_range(date(2026, 1, 15)) == (date(2025, 12, 1), date(2025, 12, 31))
    start, end = clock.month_bounds(2025, 12)
    assert start == datetime(2025, 12, 1, 8, tzinfo=UTC)
    assert end == datetime(2026, 1, 1, 8, tzinfo=UTC)


def test_times_typed_by_a_seller_are_platform_wall_clock():
    moment = clock.from_local_input("2026-02-28T23:30")
    assert moment == LATE_EVENING_LA
    assert clock.from_local_input("2026-02-28T23:30+00:00") == datetime(
        2026, 2, 28, 23, 30, tzinfo=UTC
    )
    assert clock.to_local_input(LATE_EVENING_LA) == "2026-02-28T23:30"
    assert clock.to_local_input(LATE_EVENING_LA, " ") == "2026-02-28 23:30"
    with pytest.raises(ValueError):
        clock.from_local_input("next tuesday")


def test_pages_show_order_times_on_the_platform_clock():
    rendered = Template("{% load order_tags %}{{ at|platform_time|date:'Y-m-d H:i' }}").render(
        Context({"at": LATE_EVENING_LA})
    )
    assert rendered == "2026-02-28 23:30"
