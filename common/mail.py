"""Email helpers shared by the apps."""

from datetime import datetime, timedelta
from email.utils import parseaddr

from django.conf import settings
from django.db.models import Q


def stable_message_id(kind: str, pk: int) -> str:
    """A Message-ID fixed by what the email is about (e.g. one inactivity notice).

    Emails are sent at least once: a worker killed after the mail server accepted a message
    and before its row was stamped sends it again on recovery. With the same Message-ID the
    second copy is recognisably the same message (mail stores and clients collapse it), not a
    second notice.
    """
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "sellercenter.local"
    return f"<{kind}-{pk}@{domain}>"


def claimable(field: str, *, now: datetime, stale_after: timedelta) -> Q:
    """Rows whose send claim ``field`` is free: never taken, or left by a sender presumed dead
    (older than ``stale_after``). Outboxes claim a row with a conditional UPDATE on this."""
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__lt": now - stale_after})
