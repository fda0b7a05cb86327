"""Order confirmation emails as an outbox: never lost with the broker, never sent twice."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django_scopes import scope

from orders.models import Order
from orders.services.notifications import order_confirmation_send, order_confirmations_redeliver
from tests.orders.conftest import place

pytestmark = pytest.mark.django_db


def lost_confirmation(shop, sku, capture):
    """An order placed while the broker was down: its confirmation task never got queued."""
    from kombu.exceptions import OperationalError as BrokerDown

    with (
        mock.patch(
            "orders.tasks.send_order_confirmation_task.delay", side_effect=BrokerDown("down")
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
