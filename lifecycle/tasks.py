"""Lifecycle background work. Tasks take ids or dates, are idempotent and acknowledge late."""

from datetime import date

from celery import shared_task
from django.db import OperationalError


@shared_task(
    acks_late=True,
    ignore_result=True,
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
    from lifecycle.services.inactivity import sweep_inactivity

    day = date.fromisoformat(run_date) if run_date else local_date()
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


@shared_task(acks_late=True, ignore_result=True, autoretry_for=(Exception,), retry_backoff=30,
             max_retries=5)  # fmt: skip
def delete_shop_data_task(shop_id: int) -> None:
    """Remove a deleted shop's personal data, documents and files (idempotent)."""
    from django_scopes import scopes_disabled

    from lifecycle.services.leaving import shop_data_delete

    with scopes_disabled():
        shop_data_delete(shop_id=shop_id)


@shared_task(acks_late=True, ignore_result=True, autoretry_for=(OSError,), retry_backoff=30,
             max_retries=3)  # fmt: skip
def build_export_task(export_id: int) -> None:
    """Build a data export zip; a redelivered task restarts the build from scratch."""
    from django_scopes import scopes_disabled

    from lifecycle.services.export import export_build

    with scopes_disabled():
        export_build(export_id=export_id)


@shared_task(acks_late=True, ignore_result=True)
def expire_exports_task() -> int:
    """Daily: data exports older than their expiry lose their file."""
    from django_scopes import scopes_disabled

    from lifecycle.services.export import exports_expire

    with scopes_disabled():
        return exports_expire()


# --- Probation graduation and program eligibility (SPEC §3; issue 3) --------------------------
@shared_task(acks_late=True, ignore_result=True)
def probation_sweep_task() -> None:
    """Daily: end probation for shops that meet the rule."""
    from lifecycle.probation import probation_sweep

    probation_sweep()


@shared_task(acks_late=True, ignore_result=True)
def eligibility_sweep_task() -> None:
    """1st of each month: fan out one evaluation per active or pending shop."""
    from django_scopes import scopes_disabled

    from shops.models import Shop

    with scopes_disabled():
        shop_ids = list(
            Shop.objects.exclude(status__in=[Shop.Status.DELETED, Shop.Status.BANNED]).values_list(
                "pk", flat=True
            )
        )
    for shop_id in shop_ids:
        eligibility_evaluate_task.delay(shop_id)


@shared_task(acks_late=True, ignore_result=True)
def eligibility_evaluate_task(shop_id: int) -> None:
    """One shop's monthly evaluation; idempotent per calendar month."""
    from django.utils import timezone
    from django_scopes import scope

    from lifecycle.eligibility import eligibility_evaluate
    from lifecycle.models import EligibilityEvaluation
    from shops.models import Shop

    shop = Shop.objects.get(pk=shop_id)
    today = timezone.localdate()
    with scope(shop=shop):
        already = EligibilityEvaluation.objects.filter(
            shop=shop,
            trigger=EligibilityEvaluation.Trigger.MONTHLY,
            evaluated_at__date__gte=today.replace(day=1),
        ).exists()
        if not already:
            eligibility_evaluate(shop=shop, trigger=EligibilityEvaluation.Trigger.MONTHLY)
