"""Calendar-day helpers for returns and finance, on the one platform calendar (shops.calendar)."""

from datetime import datetime, timedelta

from shops.calendar import day_start as start_of_day
from shops.calendar import local_date
from shops.calendar import platform_tz as platform_zone

__all__ = ["end_of_day", "local_date", "platform_zone", "start_of_day"]


def end_of_day(day) -> datetime:
    return start_of_day(day + timedelta(days=1)) - timedelta(microseconds=1)
