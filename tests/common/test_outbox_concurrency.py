"""PostgreSQL, real threads: workers racing for one outbox email send it once."""

import threading
from concurrent.futures import ThreadPoolExecutor

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

    def worker(_) -> bool:
        try:
            barrier.wait()
            return outbox_email_send(email_id=email.pk)
        finally:
            connection.close()  # each thread has its own connection

    with ThreadPoolExecutor(WORKERS) as pool:
        results = list(pool.map(worker, range(WORKERS)))  # a worker's error is raised here
    assert results.count(True) == 1 and len(mail.outbox) == 1
    email.refresh_from_db()
    assert email.sent_at is not None and email.attempts == 1
