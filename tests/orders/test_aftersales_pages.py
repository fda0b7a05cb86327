"""Returns, inbox and finance list pages cost a fixed number of queries whatever the data size."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from orders.finance.models import LedgerEntry
from orders.inbox import services as inbox_svc
from tests.orders.aftersales import delivered_order, open_return
from tests.queries import page_queries

pytestmark = pytest.mark.django_db


def grow_returns(shop, n):
    for _ in range(n):
        order = delivered_order(shop, delivered_at=timezone.now() - timedelta(days=1))
        open_return(shop, order, kind="refund_only", reason="Other", now=timezone.now())


def grow_conversations(shop, n):
    with scope(shop=shop):
        for _ in range(n):
            inbox_svc.conversation_start(
                shop=shop, buyer_name="Bea", buyer_email="b@example.com", body="Hello"
            )


def grow_ledger(shop, n):
    LedgerEntry.objects.bulk_create(
        LedgerEntry(shop=shop, kind="adjustment", bucket="available", amount=Decimal("1.00"))
        for _ in range(n)
    )


@pytest.mark.parametrize(
    ("url_name", "grow"),
    [
        ("orders:return_list", grow_returns),
        ("orders:inbox", grow_conversations),
        ("orders:finance", grow_ledger),
    ],
)
def test_page_query_count_does_not_grow_with_rows(owner_client, shop, url_name, grow):
    url = reverse(url_name, kwargs={"shop_slug": shop.slug})
    with scope(shop=shop):
        grow(shop, 3)
    small = page_queries(owner_client, url)
    with scope(shop=shop):
        grow(shop, 40)
    assert page_queries(owner_client, url) == small
