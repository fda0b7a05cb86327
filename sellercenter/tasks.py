from datetime import timedelta

from celery import shared_task

from common.clock import local_date


@shared_task(
    autoretry_for=(Exception,),
    retry_backoff=True,
    max_retries=5,
)
def rollup_recent_days() -> int:
    """Keep yesterday's and today's rollups current (idempotent: a rebuild, not an increment)."""
    from orders.analytics.services import rollup_rebuild

    today = local_date()
    return rollup_rebuild(start=today - timedelta(days=1), end=today)
