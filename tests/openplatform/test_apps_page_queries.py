"""Settings → Apps costs the same number of queries with one app or many, with deliveries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scope

from openplatform.models import WebhookDelivery, WebhookSubscription
from tests.factories import sign_in_verified

pytestmark = pytest.mark.django_db


def page_queries(client, shop) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/shops/{shop.slug}/settings/apps/").status_code == 200
    return len(queries)


def add_app(shop, owner, make_token, n):
    app = make_token(shop, owner, name=f"Tool {n}").app
    with scope(shop=shop):
        sub = WebhookSubscription.objects.create(
            shop=shop, app=app, url="https://hooks.example/x", events=["order.status_changed"]
        )
        for i in range(3):
            WebhookDelivery.objects.create(
                shop=shop, subscription=sub, message_id=f"msg_{n}_{i}",
                event_type="order.status_changed", payload={},
            )  # fmt: skip


def test_the_apps_page_runs_a_fixed_number_of_queries(client, shop, owner, make_token):
    sign_in_verified(client, owner)
    add_app(shop, owner, make_token, 0)
    page_queries(client, shop)  # the first request warms the session's cached identity
    one = page_queries(client, shop)
    for n in range(1, 6):
        add_app(shop, owner, make_token, n)
    assert page_queries(client, shop) == one
