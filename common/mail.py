"""The email outbox: the one way the platform sends email.

``email_queue`` writes the rendered email as a row in the caller's transaction and queues its
sender task on commit, so an email about something that rolled back is never sent, and an email
about something that committed is never lost with the broker: ``outbox_emails_redeliver`` (beat)
queues again what is still unsent some minutes later. The sender claims the row with one
conditional UPDATE, sends with the row's Message-ID, and stamps it sent.

The order confirmations and the inactivity notices keep their own rows (the order, the notice)
as their outbox and use ``claimable`` and ``stable_message_id`` from here.
"""

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from common.models import OutboxEmail
from common.policy import POLICY
from common.tasks import send_outbox_email_task

# A claim older than this belongs to a sender that died: the email may be sent again.
CLAIM_STALE_AFTER = timedelta(minutes=10)
# Unsent this long after queueing: the task was lost with the broker, or sending keeps failing.
REDELIVER_AFTER = timedelta(minutes=5)
# After this many tries the email stays unsent with its last error, for staff to look at.
MAX_ATTEMPTS = 12


def email_queue(
    *,
    to: str | Sequence[str],
    subject: str,
    body: str,
    html_body: str = "",
    shop_id: int | None = None,
    key: str | None = None,
) -> OutboxEmail | None:
    """Queue one email to ``to`` (one message, every address in To), sent after commit.

    Render the email before calling, inside the caller's scope and transaction: the row keeps
    the words of that moment. ``key`` names what the email is about ("return-warning:12"), so a
    re-run that queues it again writes nothing. Returns the row, or None when there is no
    recipient or the key was already queued.
    """
    recipients = [to] if isinstance(to, str) else sorted(set(filter(None, to)))
    if not recipients:
        return None
    fields = {
        "to": recipients,
        "subject": subject,
        "text_body": body,
        "html_body": html_body,
        "shop_id": shop_id,
        "message_id": new_message_id(),
    }
    with transaction.atomic():
        if key is None:
            email = OutboxEmail.objects.create(**fields)
        else:
            email, created = OutboxEmail.objects.get_or_create(key=key, defaults=fields)
            if not created:
                return None
        send_outbox_email_task.delay_on_commit(email.pk)
    return email


def outbox_email_send(*, email_id: int) -> bool:
    """Send one queued email unless it was sent or another sender holds it; True if sent.

    A failed send records its error, gives the claim back and raises, so the task retries. A
    sender killed between sending and stamping leaves a claim that goes stale: the email is
    sent again, with the same Message-ID, so mail clients show one message.
    """
    now = timezone.now()
    claimed = (
        _unsent()
        .filter(pk=email_id)
        .filter(claimable("claimed_at", now=now, stale_after=CLAIM_STALE_AFTER))
        .update(claimed_at=now, attempts=F("attempts") + 1)
    )
    if not claimed:
        return False
    email = OutboxEmail.objects.get(pk=email_id)
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.text_body,
        to=email.to,
        headers={"Message-ID": email.message_id},
    )
    if email.html_body:
        message.attach_alternative(email.html_body, "text/html")
    try:
        message.send()
    except Exception as error:
        OutboxEmail.objects.filter(pk=email_id).update(
            claimed_at=None, last_error=f"{type(error).__name__}: {error}"[:2000]
        )
        raise
    # The body can hold a sign-in code or a one-time link: it is kept only until it is sent.
    OutboxEmail.objects.filter(pk=email_id).update(
        sent_at=timezone.now(), last_error="", text_body="", html_body=""
    )
    return True


def outbox_emails_redeliver(*, now: datetime | None = None, limit: int = 1000) -> int:
    """Queue again the emails still unsent ``REDELIVER_AFTER`` after queueing whose claim is
    free or stale — their task was lost, its sender died, or sending failed. Returns how many."""
    now = now or timezone.now()
    pending = list(
        _unsent()
        .filter(created_at__lte=now - REDELIVER_AFTER)
        .filter(claimable("claimed_at", now=now, stale_after=CLAIM_STALE_AFTER))
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    for email_id in pending:
        send_outbox_email_task.delay(email_id)
    return len(pending)


def outbox_emails_purge(*, now: datetime | None = None) -> int:
    """Delete the delivery records of emails sent more than ``outbox_sent_keep_days`` ago
    (their bodies were emptied on sending). Unsent rows stay for redelivery. Returns how many."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=POLICY.outbox_sent_keep_days)
    deleted, _ = OutboxEmail.objects.filter(sent_at__lt=cutoff).delete()
    return deleted


def new_message_id() -> str:
    """A Message-ID for an email queued now, kept for every send of it."""
    return f"<{uuid.uuid4().hex}@{_domain()}>"


def stable_message_id(kind: str, pk: int) -> str:
    """A Message-ID fixed by what the email is about (e.g. one inactivity notice).

    Emails are sent at least once: a worker killed after the mail server accepted a message
    and before its row was stamped sends it again on recovery. With the same Message-ID the
    second copy is recognisably the same message (mail stores and clients collapse it), not a
    second notice.
    """
    return f"<{kind}-{pk}@{_domain()}>"


def claimable(field: str, *, now: datetime, stale_after: timedelta) -> Q:
    """Rows whose send claim ``field`` is free: never taken, or left by a sender presumed dead
    (older than ``stale_after``). Outboxes claim a row with a conditional UPDATE on this."""
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__lt": now - stale_after})


def _unsent():
    return OutboxEmail.objects.filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS)


def _domain() -> str:
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "sellercenter.local"
