"""Returns beat task: takes plain values, is idempotent and acks late; the beat entry is in
settings. The service is imported inside the task, so services may import this module."""

import logging
from datetime import date

from celery import shared_task
from django.utils import timezone

from common.clock import local_date

log = logging.getLogger(__name__)


@shared_task(name="orders.returns.tasks.returns_auto_approve_task")
def returns_auto_approve_task(on_date: str | None = None) -> dict:
    """Warn sellers on the last answer day, approve the day after (SPEC §7)."""
    from orders.returns.deadlines import returns_auto_approve

    day = date.fromisoformat(on_date) if on_date else local_date(timezone.now())
    result = returns_auto_approve(on_date=day)
    log.info("returns auto-approve for %s: %s", day, result)
    return result
