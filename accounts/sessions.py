"""Ending sessions: deactivation, ban and deletion sign the affected users out everywhere."""

from django.db.models import F

from accounts.models import User


def end_all_sessions(user: User) -> None:
    """End every session of ``user``, on every device and whatever the session backend.

    Bumps ``User.session_generation``, which is part of the session auth hash Django checks on
    each request, so every existing session stops authenticating at once. Idempotent enough to
    call from any workflow; call it inside the workflow's transaction.
    """
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    user.refresh_from_db(fields=["session_generation"])


def end_sessions_of(users) -> int:
    """The same for a whole queryset of users in one UPDATE (a ban ends every member's sessions)."""
    return User.objects.filter(pk__in=users.values("pk")).update(
        session_generation=F("session_generation") + 1
    )
