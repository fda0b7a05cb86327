"""Calendar-day helpers for returns and finance (SPEC: calendar rules use the platform zone)."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone


def platform_zone() -> ZoneInfo:
    return ZoneInfo(settings.PLATFORM_TIME_ZONE)


def local_date(moment: datetime) -> date:
    return timezone.localtime(moment, platform_zone()).date()


def start_of_day(day: date) -> datetime:
    """The first instant of ``day`` in the platform zone, as an aware datetime."""
    return datetime.combine(day, time.min, tzinfo=platform_zone())


def end_of_day(day: date) -> datetime:
    return start_of_day(day + timedelta(days=1)) - timedelta(microseconds=1)


def policy(name: str):
    return settings.SELLERCENTER[name]
