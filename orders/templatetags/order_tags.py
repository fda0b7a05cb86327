"""Template helpers for order pages."""

from django import template
from django.conf import settings
from django.templatetags.tz import do_timezone

register = template.Library()


@register.filter
def platform_time(value):
    """The datetime in the platform time zone (calendar-day rules: ship-by dates, filters)."""
    if not value:
        return value
    return do_timezone(value, settings.PLATFORM_TIME_ZONE)
