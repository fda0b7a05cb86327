"""The owner's reminder email before a scheduled LIVE session (beat: every few minutes).

Set-based and idempotent: one query finds the sessions due (scheduled, starting within
``POLICY.live_reminder_minutes_before``, not yet reminded) across shops; each is claimed with a
conditional UPDATE of ``reminder_sent_at`` and its email queued in the same transaction under the
key ``live-reminder:<id>``, so overlapping runs and re-runs send each reminder once.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from common.clock import local_time
from common.mail import email_queue
from common.policy import POLICY
from orders.marketing.live_models import LiveSession
from shops.models import Membership, Role


def live_reminders_send(*, now: datetime | None = None) -> int:
    """Queue the reminder of every session due one; returns how many were queued."""
    now = now or timezone.now()
    horizon = now + timedelta(minutes=POLICY.live_reminder_minutes_before)
    with scopes_disabled():  # the one cross-shop read: which sessions are due, in any shop
        due = list(
            LiveSession.objects.filter(
                status=LiveSession.Status.SCHEDULED,
                reminder_sent_at__isnull=True,
                starts_at__gt=now,
                starts_at__lte=horizon,
            )
            .select_related("shop")
            .order_by("starts_at", "id")
        )
    sent = 0
    for session in due:
        with scope(shop=session.shop), transaction.atomic():
            claimed = LiveSession.objects.filter(
                pk=session.pk, reminder_sent_at__isnull=True
            ).update(reminder_sent_at=now)
            if not claimed:
                continue
            owners = Membership.objects.filter(shop=session.shop, role=Role.OWNER).values_list(
                "user__email", flat=True
            )
            minutes = max(1, round((session.starts_at - now).total_seconds() / 60))
            queued = email_queue(
                to=list(owners),
                subject=f"Your LIVE “{session.title}” starts in {minutes} minutes",
                body=(
                    f"Your LIVE session “{session.title}” for {session.shop.name} is scheduled "
                    f"for {local_time(session.starts_at):%b %-d, %Y %H:%M} (platform time).\n\n"
                    "Check its pinned products and live prices, then start it from "
                    "Marketing → LIVE when you go live.\n"
                ),
                shop_id=session.shop_id,
                key=f"live-reminder:{session.pk}",
            )
            sent += queued is not None
    return sent
