"""Order confirmation emails as an outbox: never lost with the broker, never sent twice."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.mail.backends import locmem
from django_scopes import scope

from orders.models import Order
from orders.services import notifications
from orders.services.notifications import (
    order_confirmation_send,
    order_confirmations_redeliver,
    order_confirmations_send_pending,
)
from tests.orders.conftest import place

pytestmark = pytest.mark.django_db


def lost_confirmation(shop, sku, capture):
    """An order placed while the broker was down: its confirmation task never got queued."""
    from kombu.exceptions import OperationalError as BrokerDown

    with (
        mock.patch(
            "orders.tasks.send_pending_order_confirmations_task.apply_async",
            side_effect=BrokerDown("down"),
        ),
        capture(execute=True),
    ):
        order = place(shop, (sku, 1))
    order.refresh_from_db()
    assert order.confirmation_sent_at is None and mail.outbox == []
    return order


def test_a_confirmation_lost_with_the_broker_is_sent_by_the_redelivery_once(
    shop, sku, django_capture_on_commit_callbacks
):
    order = lost_confirmation(shop, sku, django_capture_on_commit_callbacks)
    later = order.placed_at + timedelta(minutes=5)
    assert order_confirmations_redeliver(now=later) == 1
    [email] = mail.outbox
    assert email.to == ["bea@example.com"] and order.number in email.subject
    order.refresh_from_db()
    assert order.confirmation_sent_at is not None
    # the next run finds nothing pending
    assert order_confirmations_redeliver(now=later + timedelta(minutes=5)) == 0
    assert len(mail.outbox) == 1


def test_redelivery_waits_five_minutes_and_gives_up_after_a_day(
    shop, sku, django_capture_on_commit_callbacks
):
    order = lost_confirmation(shop, sku, django_capture_on_commit_callbacks)
    placed = order.placed_at
    assert order_confirmations_redeliver(now=placed + timedelta(minutes=5, seconds=-1)) == 0
    assert order_confirmations_redeliver(now=placed + timedelta(hours=24)) == 0
    assert mail.outbox == []
    assert order_confirmations_redeliver(now=placed + timedelta(hours=24, seconds=-1)) == 1
    assert len(mail.outbox) == 1


def test_two_senders_for_one_order_send_one_email(shop, sku, django_capture_on_commit_callbacks):
    order = lost_confirmation(shop, sku, django_capture_on_commit_callbacks)
    assert order_confirmation_send(shop=shop, order_id=order.pk) is True
    assert order_confirmation_send(shop=shop, order_id=order.pk) is False
    assert len(mail.outbox) == 1


def test_a_failed_send_gives_its_claim_back_for_the_retry(
    shop, sku, django_capture_on_commit_callbacks
):
    order = lost_confirmation(shop, sku, django_capture_on_commit_callbacks)
    with (
        mock.patch(
            "orders.services.notifications.EmailMessage.send", side_effect=OSError("smtp down")
        ),
        pytest.raises(OSError),
    ):
        order_confirmation_send(shop=shop, order_id=order.pk)
    order.refresh_from_db()
    assert order.confirmation_claimed_at is None and order.confirmation_sent_at is None
    assert order_confirmation_send(shop=shop, order_id=order.pk) is True
    assert len(mail.outbox) == 1


def test_a_claim_left_by_a_killed_sender_expires_after_ten_minutes(
    shop, sku, django_capture_on_commit_callbacks
):
    with scope(shop=shop):
        order = lost_confirmation(shop, sku, django_capture_on_commit_callbacks)
        claimed = order.placed_at + timedelta(minutes=1)
        Order.objects.filter(pk=order.pk).update(confirmation_claimed_at=claimed)
    assert order_confirmations_redeliver(now=claimed + timedelta(minutes=9)) == 0
    assert order_confirmations_redeliver(now=claimed + timedelta(minutes=10, seconds=1)) == 1


def test_a_resent_confirmation_carries_the_same_message_id(
    shop, sku, django_capture_on_commit_callbacks
):
    """At least once: a copy sent again after a crash is recognisably the same message."""
    with scope(shop=shop):
        order = lost_confirmation(shop, sku, django_capture_on_commit_callbacks)
        assert order_confirmation_send(shop=shop, order_id=order.pk) is True
        Order.objects.filter(pk=order.pk).update(
            confirmation_sent_at=None, confirmation_claimed_at=None
        )
        assert order_confirmation_send(shop=shop, order_id=order.pk) is True
    first, second = mail.outbox
    assert first.extra_headers["Message-ID"] == second.extra_headers["Message-ID"]
    assert (
        first.extra_headers["Message-ID"] == f"<order-confirmation-{order.pk}@sellercenter.local>"
    )


def test_the_normal_checkout_marks_its_confirmation_sent(
    shop, sku, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        order = place(shop, (sku, 1))
    order.refresh_from_db()
    assert order.confirmation_sent_at is not None and len(mail.outbox) == 1
    assert order_confirmations_redeliver(now=order.placed_at + timedelta(hours=1)) == 0


def test_the_pending_sender_sends_each_unsent_confirmation_once(
    shop, sku, django_capture_on_commit_callbacks
):
    """What a nudge queues: every confirmation not yet sent nor claimed, each once."""
    first = lost_confirmation(shop, sku, django_capture_on_commit_callbacks)
    second = lost_confirmation(shop, sku, django_capture_on_commit_callbacks)
    with scope(shop=shop):
        # Another sender holds this one's claim: it is theirs to send.
        claimed = lost_confirmation(shop, sku, django_capture_on_commit_callbacks)
        Order.objects.filter(pk=claimed.pk).update(confirmation_claimed_at=claimed.placed_at)
    assert order_confirmations_send_pending() == 2
    assert sorted(m.subject for m in mail.outbox) == sorted(
        f"Your order {o.number} from {shop.name}" for o in (first, second)
    )
    assert order_confirmations_send_pending() == 0
    assert len(mail.outbox) == 2


class CountingBackend(locmem.EmailBackend):
    """The test outbox, counting the mail server connections it stands for."""

    opened = 0

    def open(self):
        CountingBackend.opened += 1
        return True


def test_the_pending_sender_sends_its_batch_over_one_connection(
    shop, sku, settings, django_capture_on_commit_callbacks
):
    for _ in range(3):
        lost_confirmation(shop, sku, django_capture_on_commit_callbacks)
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.CountingBackend"}}
    CountingBackend.opened = 0
    assert order_confirmations_send_pending() == 3
    assert len(mail.outbox) == 3 and CountingBackend.opened == 1
    # Nothing pending: no connection at all.
    assert order_confirmations_send_pending() == 0 and CountingBackend.opened == 1


class RefusingBackend(locmem.EmailBackend):
    """A mail server that refuses the connection."""

    def open(self):
        raise ConnectionRefusedError("smtp down")


class DroppingBackend(locmem.EmailBackend):
    """A mail server that accepts the connection, then drops it at the first message."""

    def send_messages(self, messages):
        raise ConnectionResetError("smtp went away")


@pytest.mark.parametrize("server", [RefusingBackend, DroppingBackend])
def test_a_mail_server_failure_leaves_the_pending_confirmations_for_later(
    server, shop, sku, settings, django_capture_on_commit_callbacks
):
    orders = [lost_confirmation(shop, sku, django_capture_on_commit_callbacks) for _ in range(2)]
    default = settings.MAILERS
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.{server.__name__}"}}
    assert order_confirmations_send_pending() == 0
    settings.MAILERS = default
    with scope(shop=shop):
        assert (
            Order.objects.filter(
                pk__in=[o.pk for o in orders],
                confirmation_sent_at=None,
                confirmation_claimed_at=None,
            ).count()
            == 2
        )
    assert order_confirmations_send_pending() == 2


@pytest.fixture
def broker_queue():
    """Tasks go to the real broker (Redis, or the embedded filesystem one) instead of running
    inline; yields a function that drains the default queue and returns the task names."""
    from sellercenter.celery import app

    app.conf.task_always_eager = False
    notifications._nudged_until = 0.0

    def drained() -> list[str]:
        names = []
        with app.connection_for_write() as conn:
            queue = conn.SimpleQueue(app.conf.task_default_queue)
            while True:
                try:
                    message = queue.get(block=False)
                except queue.Empty:
                    break
                names.append(message.headers["task"])
                message.ack()
            queue.close()
        return names

    drained()
    try:
        yield drained
    finally:
        app.conf.task_always_eager = True
        notifications._nudged_until = 0.0
        drained()


def test_orders_placed_together_share_one_message_to_the_sender(
    shop, sku, broker_queue, django_capture_on_commit_callbacks
):
    """A LIVE sale's burst: one broker message for the orders this process places within half a
    second, sent a second later, when all of them have committed; the sender sends them all."""
    with django_capture_on_commit_callbacks(execute=True):
        orders = [place(shop, (sku, 1)) for _ in range(3)]
    assert broker_queue() == ["orders.tasks.send_pending_order_confirmations_task"]
    assert mail.outbox == []
    assert order_confirmations_send_pending() == 3
    assert {m.to[0] for m in mail.outbox} == {o.buyer_email for o in orders}
    # Past the half second, the next order queues its own.
    notifications._nudged_until = 0.0
    with django_capture_on_commit_callbacks(execute=True):
        place(shop, (sku, 1))
    assert broker_queue() == ["orders.tasks.send_pending_order_confirmations_task"]
