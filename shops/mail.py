"""Email helpers shared by the apps."""

from email.utils import parseaddr

from django.conf import settings


def stable_message_id(kind: str, pk: int) -> str:
    """A Message-ID fixed by what the email is about (e.g. one inactivity notice).

    Emails are sent at least once: a worker killed after the mail server accepted a message
    and before its row was stamped sends it again on recovery. With the same Message-ID the
    second copy is recognisably the same message (mail stores and clients collapse it), not a
    second notice.
    """
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "sellercenter.local"
    return f"<{kind}-{pk}@{domain}>"
