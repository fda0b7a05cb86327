"""The outbox's tasks: send one queued email; queue again what is left unsent."""

from celery import shared_task


@shared_task(
    autoretry_for=(OSError,),  # smtplib's errors and refused connections are OSErrors
    retry_backoff=30,
    retry_backoff_max=10 * 60,
    retry_jitter=True,
    max_retries=5,
)
def send_outbox_email_task(email_id: int) -> None:
    """Send one outbox email; claimed first, so a redelivered twin never sends it twice."""
    from common.mail import outbox_email_send

    outbox_email_send(email_id=email_id)


@shared_task
def redeliver_outbox_emails_task() -> int:
    """Every few minutes: queue again the emails still unsent (lost task, failed sends)."""
    from common.mail import outbox_emails_redeliver

    return outbox_emails_redeliver()


@shared_task
def purge_outbox_emails_task() -> int:
    """Daily: drop the delivery records of emails sent long ago (POLICY.outbox_sent_keep_days)."""
    from common.mail import outbox_emails_purge

    return outbox_emails_purge()
