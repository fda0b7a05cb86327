"""Finance tasks: book a completed order's sale, settle orders whose hold ended. Each takes plain
values, is idempotent and acks late; the beat entries are in settings. Services are imported inside
the tasks, so services and receivers may import this module."""

import logging
from datetime import date, datetime

from celery import shared_task
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from common.clock import day_end
from orders.models import Order
from shops.models import Shop
from shops.tasking import ShopTask

log = logging.getLogger(__name__)


@shared_task(name="orders.finance.tasks.finance_book_sale_task", base=ShopTask)
def finance_book_sale_task(*, shop: Shop, order_id: int) -> None:
    from orders.finance.services import finance_book_sale

    finance_book_sale(shop=shop, order=Order.objects.get(pk=order_id))


@shared_task(name="orders.finance.tasks.finance_settle_task")
def finance_settle_task(as_of: str | None = None) -> int:
    """Book any completed order the signal missed, then settle every order whose hold ended.

    ``as_of``: an ISO datetime, or a date meaning the end of that day (platform zone).
    """
    from orders.finance.services import finance_book_sale, finance_settle_due

    moment = _moment(as_of)
    with scopes_disabled():
        missed = list(
            Order.objects.filter(status=Order.Status.COMPLETED, settlement__isnull=True)
            .select_related("shop")
            .order_by("id")[:1000]
        )
    for order in missed:
        with scope(shop=order.shop):
            finance_book_sale(shop=order.shop, order=order)
    return finance_settle_due(as_of=moment)


def _moment(value: str | None) -> datetime:
    if not value:
        return timezone.now()
    if len(value) == 10:
        return day_end(date.fromisoformat(value))
    return datetime.fromisoformat(value)
