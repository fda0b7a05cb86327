"""Platform calendar: "calendar day" rules (inactivity, caps, reports) use PLATFORM_TIME_ZONE."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone


def platform_tz() -> ZoneInfo:
    return ZoneInfo(settings.PLATFORM_TIME_ZONE)


def local_date(moment: datetime | None = None) -> date:
    """The platform calendar date of a moment (now by default)."""
    return (moment or timezone.now()).astimezone(platform_tz()).date()


def day_start(day: date) -> datetime:
    """The aware instant the platform calendar day begins."""
    return datetime.combine(day, time.min, tzinfo=platform_tz())


def day_bounds(first: date, last: date | None = None) -> tuple[datetime, datetime]:
    """[start, end) instants covering the calendar days first..last inclusive."""
    return day_start(first), day_start((last or first) + timedelta(days=1))


def month_start(day: date) -> date:
    return day.replace(day=1)


def previous_month_range(day: date) -> tuple[date, date]:
    last = month_start(day) - timedelta(days=1)
    return month_start(last), last
