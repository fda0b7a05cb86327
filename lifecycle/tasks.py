"""Lifecycle background work. Tasks take ids or dates, are idempotent and acknowledge late."""

from datetime import date

from celery import shared_task
from django.db import OperationalError

from shops.models import Shop
from shops.tasking import ShopTask


@shared_task(
    autoretry_for=(OperationalError,),  # the database went away: try again shortly
    retry_backoff=60,
    max_retries=5,
)
def sweep_inactivity_task(run_date: str | None = None) -> dict:
    """Daily inactivity sweep (SPEC §9.2) for ``run_date`` (default: today, platform calendar).

    Safe to run twice: the advisory lock makes a concurrent twin skip, and every stage is
    claimed once per episode.
    """
    from common.clock import local_date
    from lifecycle.services.inactivity.sweep import sweep_inactivity

    day = date.fromisoformat(run_date) if run_date else local_date()
    result = sweep_inactivity(run_date=day)
    return {"run_id": result.run_id, "skipped": result.skipped, **result.counts}


@shared_task(
    autoretry_for=(Exception,),
    retry_backoff=30,
    retry_backoff_max=30 * 60,
    retry_jitter=True,
    max_retries=8,
)
def send_inactivity_notices_task(notice_ids: list[int]) -> None:
    """Email a chunk of inactivity notices; each is claimed, so a retry never sends twice."""
    from lifecycle.services.inactivity.emails import inactivity_notices_send

    inactivity_notices_send(notice_ids=notice_ids)


@shared_task(base=ShopTask, autoretry_for=(Exception,),
             retry_backoff=30, max_retries=5)  # fmt: skip
def delete_shop_data_task(*, shop: Shop) -> None:
    """Remove a deleted shop's inventory, personal data, documents and files (idempotent)."""
    from lifecycle.services.deletion import shop_data_delete

    shop_data_delete(shop_id=shop.pk)


@shared_task(base=ShopTask, autoretry_for=(OSError,),
             retry_backoff=30, max_retries=3)  # fmt: skip
def build_export_task(*, shop: Shop, export_id: int) -> None:
    """Build a data export zip; a redelivered task restarts the build from scratch."""
    from lifecycle.services.export import export_build

    export_build(export_id=export_id)


@shared_task
def expire_exports_task() -> int:
    """Daily: data exports older than their expiry lose their file."""
    from lifecycle.services.export import exports_expire

    return exports_expire()


@shared_task
def purge_retained_records_task() -> int:
    """Daily: deleted shops' records kept by law are purged when their retention period ends."""
    from lifecycle.services.deletion import retained_records_purge

    return retained_records_purge()


# --- Probation graduation and program eligibility (SPEC §3) --------------------------------
@shared_task
def probation_sweep_task() -> None:
    """Daily: end probation for shops that meet the rule."""
    from lifecycle.probation import probation_sweep

    probation_sweep()


@shared_task
def eligibility_sweep_task() -> None:
    """1st of each month: fan out one evaluation per active or pending shop."""
    shop_ids = list(Shop.objects.exclude(status__in=Shop.CLOSED).values_list("pk", flat=True))
    for shop_id in shop_ids:
        eligibility_evaluate_task.delay(shop_id=shop_id)


@shared_task(base=ShopTask)
def eligibility_evaluate_task(*, shop: Shop) -> None:
    """One shop's monthly evaluation; idempotent per calendar month."""
    from django.utils import timezone

    from lifecycle.eligibility import eligibility_evaluate
    from lifecycle.models import EligibilityEvaluation

    today = timezone.localdate()
    already = EligibilityEvaluation.objects.filter(
        trigger=EligibilityEvaluation.Trigger.MONTHLY,
        evaluated_at__date__gte=today.replace(day=1),
    ).exists()
    if not already:
        eligibility_evaluate(shop=shop, trigger=EligibilityEvaluation.Trigger.MONTHLY)
