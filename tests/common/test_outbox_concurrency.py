"""PostgreSQL, real threads: workers racing for one outbox email send it once."""

import threading

import pytest
from django.core import mail
from django.db import connection

from common.mail import new_message_id, outbox_email_send
from common.models import OutboxEmail

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

WORKERS = 10


def test_ten_workers_sending_one_email_at_once_send_it_once():
    # A row whose task was redelivered to ten workers at the same moment.
    email = OutboxEmail.objects.create(
        to=["seller@example.com"], subject="Bank account changed", text_body="Hello",
        message_id=new_message_id(),
    )  # fmt: skip
    barrier = threading.Barrier(WORKERS)
    results: list[bool] = []
    errors: list[BaseException] = []

    def worker():
        try:
            barrier.wait()
            results.append(outbox_email_send(email_id=email.pk))
        except BaseException as exc:  # noqa: BLE001 — surfaced below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(WORKERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    assert results.count(True) == 1 and len(mail.outbox) == 1
    email.refresh_from_db()
    assert email.sent_at is not None and email.attempts == 1
