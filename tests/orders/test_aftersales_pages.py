"""Returns, inbox and finance list pages cost a fixed number of queries whatever the data size."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from orders.finance.models import LedgerEntry
from orders.inbox import services as inbox_svc
from orders.returns import services as returns_svc
from tests.orders.aftersales import delivered_order

pytestmark = pytest.mark.django_db


def grow_returns(shop, n):
    for _ in range(n):
        order = delivered_order(shop, delivered_at=timezone.now() - timedelta(days=1))
        returns_svc.return_open(
            shop=shop, order=order, line=order.lines.get(), kind="refund_only", reason="Other"
        )


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
    # A cold cache each time (the session's identity is cached): like is compared with like.
    cache.clear()
    with CaptureQueriesContext(connection) as small:
        assert owner_client.get(url).status_code == 200
    with scope(shop=shop):
        grow(shop, 40)
    cache.clear()
    with CaptureQueriesContext(connection) as large:
        assert owner_client.get(url).status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)
