"""The email outbox: every email is a row written with the change it is about, sent after
commit by a task, once, with the Message-ID it was given when it was queued."""

import smtplib
from datetime import timedelta

import pytest
from celery.exceptions import Retry
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import transaction
from django.utils import timezone

from common.mail import (
    CLAIM_STALE_AFTER,
    MAX_ATTEMPTS,
    REDELIVER_AFTER,
    email_queue,
    outbox_email_send,
    outbox_emails_redeliver,
)
from common.models import OutboxEmail

pytestmark = pytest.mark.django_db


class ServerDown(LocmemBackend):
    """A mail server that refuses the connection."""

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class WorkerKilled(BaseException):
    """The worker process dies (not an error the sender can handle)."""


class AcceptedThenWorkerKilled(LocmemBackend):
    """The mail server accepts the message, then the worker dies before stamping the row."""

    def send_messages(self, messages):
        super().send_messages(messages)
        raise WorkerKilled


def use_mailer(settings, backend: type) -> None:
    settings.MAILERS = {"default": {"BACKEND": f"{backend.__module__}.{backend.__qualname__}"}}


def queue(**overrides) -> OutboxEmail | None:
    fields = {"to": "seller@example.com", "subject": "Bank account changed", "body": "Hello"}
    return email_queue(**(fields | overrides))


def test_an_email_queued_in_a_transaction_that_rolls_back_is_never_sent(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            queue()
            raise RuntimeError("the change the email is about failed")
    assert OutboxEmail.objects.count() == 0
    assert mail.outbox == []


def test_a_queued_email_is_sent_after_commit_with_its_message_id(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        email = queue(to=["b@example.com", "a@example.com", ""], html_body="<p>Hello</p>")
        assert mail.outbox == []  # not before the commit
    [sent] = mail.outbox
    assert sent.to == ["a@example.com", "b@example.com"] and sent.subject == "Bank account changed"
    assert sent.extra_headers["Message-ID"] == email.message_id
    assert sent.alternatives[0].content == "<p>Hello</p>"
    email.refresh_from_db()
    assert email.sent_at is not None and email.attempts == 1
    # A sign-in code or a one-time link does not stay in the database once it is sent.
    assert email.text_body == "" and email.html_body == ""


def test_two_senders_of_one_row_send_it_once():
    email = queue()  # its task never ran (the test's transaction never commits)
    assert outbox_email_send(email_id=email.pk) is True
    assert outbox_email_send(email_id=email.pk) is False
    assert len(mail.outbox) == 1


def test_a_row_held_by_a_live_sender_is_left_to_it():
    email = queue()
    OutboxEmail.objects.filter(pk=email.pk).update(claimed_at=timezone.now())
    assert outbox_email_send(email_id=email.pk) is False
    assert mail.outbox == []


def test_a_resend_after_the_sender_died_carries_the_same_message_id(
    settings, django_capture_on_commit_callbacks
):
    use_mailer(settings, AcceptedThenWorkerKilled)
    with pytest.raises(WorkerKilled), django_capture_on_commit_callbacks(execute=True):
        email = queue()
    email.refresh_from_db()
    assert email.sent_at is None and email.claimed_at is not None and len(mail.outbox) == 1

    use_mailer(settings, LocmemBackend)
    assert outbox_emails_redeliver(now=email.claimed_at + CLAIM_STALE_AFTER) == 0  # still sending?
    # Time passes: the dead sender's claim goes stale.
    OutboxEmail.objects.filter(pk=email.pk).update(
        claimed_at=email.claimed_at - CLAIM_STALE_AFTER - timedelta(seconds=1)
    )
    assert outbox_emails_redeliver(now=email.created_at + REDELIVER_AFTER) == 1
    first, second = mail.outbox
    assert first.extra_headers["Message-ID"] == second.extra_headers["Message-ID"]
    assert second.extra_headers["Message-ID"] == email.message_id


def test_a_failing_mail_server_leaves_the_email_unsent_with_its_error_for_the_redelivery(
    settings, django_capture_on_commit_callbacks
):
    use_mailer(settings, ServerDown)
    with pytest.raises(Retry), django_capture_on_commit_callbacks(execute=True):
        email = queue()  # the task fails and asks Celery to retry it later
    email.refresh_from_db()
    assert email.sent_at is None and email.claimed_at is None
    assert email.last_error == "SMTPServerDisconnected: Connection unexpectedly closed"
    assert email.attempts == 1
    assert mail.outbox == []

    use_mailer(settings, LocmemBackend)  # the server is back
    queued_at = email.created_at
    assert outbox_emails_redeliver(now=queued_at + REDELIVER_AFTER - timedelta(seconds=1)) == 0
    assert outbox_emails_redeliver(now=queued_at + REDELIVER_AFTER) == 1
    [sent] = mail.outbox
    assert sent.extra_headers["Message-ID"] == email.message_id
    email.refresh_from_db()
    assert email.sent_at is not None and email.last_error == ""
    assert outbox_emails_redeliver(now=queued_at + 2 * REDELIVER_AFTER) == 0
    assert len(mail.outbox) == 1


def test_an_email_that_failed_every_attempt_is_left_for_staff():
    email = queue()
    OutboxEmail.objects.filter(pk=email.pk).update(attempts=MAX_ATTEMPTS, last_error="refused")
    assert outbox_emails_redeliver(now=email.created_at + REDELIVER_AFTER) == 0
    assert outbox_email_send(email_id=email.pk) is False
    assert mail.outbox == []


def test_queueing_with_a_key_twice_sends_one_email(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert queue(key="return-warning:7") is not None
        assert queue(key="return-warning:7") is None  # a re-run of the same job
    assert OutboxEmail.objects.count() == 1 and len(mail.outbox) == 1


def test_an_email_without_recipients_is_not_queued():
    assert queue(to=[]) is None and queue(to=[""]) is None
    assert OutboxEmail.objects.count() == 0


def test_allauths_emails_go_through_the_outbox(client, django_capture_on_commit_callbacks):
    from django.urls import reverse

    from tests.factories import UserFactory

    user = UserFactory(email="forgot@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": user.email})
    [sent] = mail.outbox
    email = OutboxEmail.objects.get(to=[user.email])
    assert email.sent_at is not None and email.subject == sent.subject
    assert sent.extra_headers["Message-ID"] == email.message_id
