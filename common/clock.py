"""The platform clock: every "calendar day" rule (inactivity, caps, deadlines, reports,
statements) and every time a person sees use PLATFORM_TIME_ZONE; timestamps are stored as UTC.

The one home for date and time helpers: pages, services, tasks and commands call these.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone


def platform_tz() -> ZoneInfo:
    return ZoneInfo(settings.PLATFORM_TIME_ZONE)


def local_date(moment: datetime | None = None) -> date:
    """The platform calendar date of a moment (now by default)."""
    return (moment or timezone.now()).astimezone(platform_tz()).date()


def local_time(moment: datetime) -> datetime:
    """The moment as the platform's wall-clock time (what a person is shown)."""
    return moment.astimezone(platform_tz())


def day_start(day: date) -> datetime:
    """The aware instant the platform calendar day begins."""
    return datetime.combine(day, time.min, tzinfo=platform_tz())


def day_end(day: date) -> datetime:
    """The last instant (to the microsecond) of the platform calendar day."""
    return datetime.combine(day, time.max, tzinfo=platform_tz())


def day_bounds(first: date, last: date | None = None) -> tuple[datetime, datetime]:
    """[start, end) instants covering the calendar days first..last inclusive."""
    return day_start(first), day_start((last or first) + timedelta(days=1))


def day_bounds_of(moment: datetime) -> tuple[datetime, datetime]:
    """[start, end) of the platform calendar day that contains ``moment``."""
    return day_bounds(local_date(moment))


def month_start(day: date) -> date:
    return day.replace(day=1)


def previous_month_range(day: date) -> tuple[date, date]:
    last = month_start(day) - timedelta(days=1)
    return month_start(last), last


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    """[start, end) instants of a platform calendar month."""
    first = date(year, month, 1)
    following = date(year + (month == 12), month % 12 + 1, 1)
    return day_start(first), day_start(following)


def years_after(day: date, years: int) -> date:
    """The same calendar day ``years`` later; February 29 becomes February 28."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def from_local_input(value: str) -> datetime:
    """A datetime typed by a person (``YYYY-MM-DDTHH:MM``), read as platform wall-clock time
    unless it names its own offset. Raises ValueError when it is not a date and time."""
    parsed = datetime.fromisoformat((value or "").strip())
    if parsed.tzinfo is not None:
        return parsed
    return parsed.replace(tzinfo=platform_tz())


def to_local_input(moment: datetime, sep: str = "T") -> str:
    """The moment as ``YYYY-MM-DD HH:MM`` platform wall-clock text (form fields and CSVs)."""
    return local_time(moment).strftime(f"%Y-%m-%d{sep}%H:%M")
