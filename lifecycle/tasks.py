from celery import shared_task


@shared_task(acks_late=True, ignore_result=True)
def sweep_inactivity_task(date: str | None = None) -> None:
    """Daily inactivity sweep (SPEC §9.2). The sweep itself lands with the lifecycle issue."""
    return None
