"""PostgreSQL, real threads: workers racing for one outbox email send it once."""

import pytest
from django.core import mail

from common.mail import new_message_id, outbox_email_send
from common.models import OutboxEmail
from tests.concurrency import at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

WORKERS = 10


def test_ten_workers_sending_one_email_at_once_send_it_once():
    # A row whose task was redelivered to ten workers at the same moment.
    email = OutboxEmail.objects.create(
        to=["seller@example.com"], subject="Bank account changed", text_body="Hello",
        message_id=new_message_id(),
    )  # fmt: skip
    results = at_once(lambda _: outbox_email_send(email_id=email.pk), range(WORKERS))
    assert results.count(True) == 1 and len(mail.outbox) == 1
    email.refresh_from_db()
    assert email.sent_at is not None and email.attempts == 1
