"""Lifecycle background work. Tasks take ids or dates, are idempotent and acknowledge late."""

from datetime import date

from celery import shared_task


@shared_task(acks_late=True, ignore_result=True)
def sweep_inactivity_task(run_date: str | None = None) -> dict:
    """Daily inactivity sweep (SPEC §9.2) for ``run_date`` (default: today, platform calendar).

    Safe to run twice: the advisory lock makes a concurrent twin skip, and every stage is
    claimed once per episode.
    """
    from lifecycle.services.inactivity import platform_today, sweep_inactivity

    day = date.fromisoformat(run_date) if run_date else platform_today()
    result = sweep_inactivity(run_date=day)
    return {"run_id": result.run_id, "skipped": result.skipped, **result.counts}


@shared_task(
    acks_late=True,
    ignore_result=True,
    autoretry_for=(Exception,),
    retry_backoff=30,
    retry_backoff_max=30 * 60,
    retry_jitter=True,
    max_retries=8,
)
def send_inactivity_notices_task(notice_ids: list[int]) -> None:
    """Email a chunk of inactivity notices; each is claimed, so a retry never sends twice."""
    from lifecycle.services.inactivity import inactivity_notices_send

    inactivity_notices_send(notice_ids=notice_ids)
