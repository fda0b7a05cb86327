"""Emails to a shop's owners, sent by a Celery task once the transaction that caused them commits."""

from django.db import transaction

from shops.models import Shop


def email_shop_owners(*, shop: Shop, subject: str, body: str) -> None:
    from shops.tasks import send_shop_email_task

    transaction.on_commit(lambda: send_shop_email_task.delay(shop.pk, subject, body))
