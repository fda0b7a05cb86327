"""Emails to a shop's owners, sent by a Celery task once the transaction that caused them commits."""

from shops.models import Shop
from shops.tasks import send_shop_email_task


def email_shop_owners(*, shop: Shop, subject: str, body: str) -> None:
    send_shop_email_task.delay_on_commit(shop_id=shop.pk, subject=subject, body=body)
