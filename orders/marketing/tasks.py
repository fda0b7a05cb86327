from celery import shared_task


@shared_task
def live_reminders_task() -> None:
    """Every few minutes: the owner's reminder before each scheduled LIVE session, once each."""
    from orders.marketing.live_reminders import live_reminders_send

    live_reminders_send()
