"""Template helpers for order pages."""

from django import template
from django.templatetags.tz import do_timezone

from common.clock import platform_tz

register = template.Library()


@register.filter
def platform_time(value):
    """The datetime in the platform time zone (calendar-day rules: ship-by dates, filters).

    Django's own ``timezone`` filter, so the template engine does not convert it back to the
    active time zone when it prints it."""
    if not value:
        return value
    return do_timezone(value, platform_tz())
