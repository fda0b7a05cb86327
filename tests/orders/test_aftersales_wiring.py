"""Seller GETs on returns, inbox and finance pages never write."""

import hashlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.core import serializers
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from orders.inbox import services as inbox_svc
from tests.orders.aftersales import delivered_order, open_return, png


def _digest() -> str:
    digest = hashlib.sha256()
    for model in sorted(apps.get_models(), key=lambda m: m._meta.label):
        if model._meta.label == "sessions.Session":
            continue
        digest.update(serializers.serialize("json", model._base_manager.order_by("pk")).encode())
    return digest.hexdigest()


@pytest.mark.django_db
def test_no_get_on_returns_inbox_or_finance_changes_a_row(owner_client, shop):
    with scope(shop=shop):
        order = delivered_order(shop, delivered_at=timezone.now() - timedelta(days=1))
        request = open_return(
            shop, order, kind="refund_only", reason="Other", now=timezone.now(), photos=[png()]
        )
        conversation = inbox_svc.conversation_start(
            shop=shop, order=order, buyer_name="Bea", buyer_email="b@example.com", body="Hi"
        )
        ids = {
            "return_request_id": request.pk,
            "return_photo_id": request.photos.get().pk,
            "conversation_id": conversation.pk,
        }
    names = [
        "return_list",
        "return_policy",
        "return_detail",
        "return_act",
        "return_photo",
        "inbox",
        "inbox_conversation",
        "inbox_read",
        "inbox_reply",
        "inbox_resolve",
        "finance",
        "finance_withdraw",
        "finance_statement",
    ]
    owner_client.get("/")
    with scope(shop=shop):
        before = _digest()
    for name in names:
        url = reverse(
            f"orders:{name}",
            kwargs={
                "shop_slug": shop.slug,
                **{k: v for k, v in ids.items() if f"<int:{k}>" in _route(name)},
            },
        )
        assert owner_client.get(url).status_code in (200, 302, 405), url
    with scope(shop=shop):
        assert _digest() == before


def _route(name: str) -> str:
    from orders.urls import urlpatterns

    return next(str(p.pattern) for p in urlpatterns if p.name == name)
