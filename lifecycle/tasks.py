from celery import shared_task


@shared_task(acks_late=True, ignore_result=True)
def sweep_inactivity_task(date: str | None = None) -> None:
    """Daily inactivity sweep (SPEC §9.2). The sweep itself lands with the lifecycle issue."""
    return None


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
