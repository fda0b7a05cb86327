"""Sent outbox rows are a delivery record kept for POLICY.outbox_sent_keep_days, then purged by
the daily beat job; unsent rows are never purged (the redelivery still needs them)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from common.mail import email_queue
from common.models import OutboxEmail
from common.policy import POLICY
from common.tasks import purge_outbox_emails_task

pytestmark = pytest.mark.django_db


def _row(subject: str, *, sent_days_ago: float | None) -> OutboxEmail:
    email = email_queue(to="seller@example.com", subject=subject, body="Hello")
    if sent_days_ago is not None:
        OutboxEmail.objects.filter(pk=email.pk).update(
            sent_at=timezone.now() - timedelta(days=sent_days_ago)
        )
    return email


def test_sent_rows_older_than_the_keep_period_are_purged_and_the_rest_stay():
    keep = POLICY.outbox_sent_keep_days
    _row("old", sent_days_ago=keep + 0.01)
    _row("young", sent_days_ago=keep - 0.01)
    unsent = _row("unsent", sent_days_ago=None)
    OutboxEmail.objects.filter(pk=unsent.pk).update(
        created_at=timezone.now() - timedelta(days=keep * 3)
    )

    assert purge_outbox_emails_task.delay().get() == 1

    assert sorted(OutboxEmail.objects.values_list("subject", flat=True)) == ["unsent", "young"]
