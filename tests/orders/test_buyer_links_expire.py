"""Buyers' order links are signed with a timestamp, expire and can be revoked.

A link works while its order is open, and until POLICY.buyer_link_valid_days after the later of
the order closing (completed: delivered + the return window) and the link being issued. Past
that, or once revoked, the same URL answers 410 with a page that shows nothing of the order and
offers to email a fresh link to the order's address."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from common.mail import OutboxEmail
from common.policy import POLICY
from orders.buyer_links import BUYER_LINK_SALT, buyer_order_token
from tests.factories import OrderFactory

pytestmark = pytest.mark.django_db


def _token_issued(order, at) -> str:
    """The link as it was emailed at ``at`` (the signer's clock set back)."""
    real = signing.time
    signing.time = SimpleNamespace(time=lambda: at.timestamp())
    try:
        return buyer_order_token(order)
    finally:
        signing.time = real


def _page(client, shop, token, name="store:buyer_order"):
    return client.get(reverse(name, kwargs={"store_slug": shop.slug, "token": token}))


def _completed(shop, *, closed_days_ago: float):
    """A completed order that closed (delivered + return window) this many days ago."""
    closed = timezone.now() - timedelta(days=closed_days_ago)
    delivered = closed - timedelta(days=POLICY.return_window_days)
    return OrderFactory(shop=shop, status="completed", buyer_name="Bea Buyer",
                        buyer_email="bea@example.com", ship_line1="1 Hidden Lane",
                        placed_at=delivered - timedelta(days=3), delivered_at=delivered)  # fmt: skip


@pytest.mark.parametrize(
    ("closed_days_ago", "works"),
    [(POLICY.buyer_link_valid_days - 0.01, True), (POLICY.buyer_link_valid_days + 0.01, False)],
    ids=["a-quarter-hour-before-day-90", "a-quarter-hour-after-day-90"],
)
def test_a_link_expires_ninety_days_after_the_order_completes(client, shop, closed_days_ago, works):
    order = _completed(shop, closed_days_ago=closed_days_ago)
    token = _token_issued(order, order.placed_at)  # the confirmation email's link
    response = _page(client, shop, token)
    if works:
        assert response.status_code == 200 and "1 Hidden Lane" in response.content.decode()
    else:
        body = response.content.decode()
        assert response.status_code == 410
        assert "This link has expired" in body and "Email me a fresh link" in body
        assert "b***@example.com" in body
        for secret in ("Bea Buyer", "1 Hidden Lane", "bea@example.com", order.number):
            assert secret not in body
        assert "no-store" in response["Cache-Control"]


def test_an_open_order_keeps_its_link_however_old(client, shop):
    order = OrderFactory(shop=shop, status="awaiting_shipment")
    token = _token_issued(order, timezone.now() - timedelta(days=400))
    assert _page(client, shop, token).status_code == 200


def test_the_returns_and_messages_pages_expire_with_the_link(client, shop):
    order = _completed(shop, closed_days_ago=POLICY.buyer_link_valid_days + 1)
    token = _token_issued(order, order.placed_at)
    for name in ("orders_buyer:returns", "orders_buyer:order_messages"):
        assert _page(client, shop, token, name).status_code == 410, name


def test_an_expired_link_emails_a_fresh_one_that_works(client, shop):
    order = _completed(shop, closed_days_ago=POLICY.buyer_link_valid_days + 1)
    old = _token_issued(order, order.placed_at)
    fresh_url = reverse("store:buyer_link_fresh", kwargs={"store_slug": shop.slug, "token": old})
    response = client.post(fresh_url)
    assert response.status_code == 200 and "Check your email" in response.content.decode()
    with scope(shop=shop):
        (email,) = OutboxEmail.objects.filter(to=["bea@example.com"])
    fresh = next(w for w in email.text_body.split() if "/orders/" in w)
    fresh_token = fresh.rstrip("/").split("/orders/")[1].split("/")[0]
    assert fresh_token != old
    assert _page(client, shop, fresh_token).status_code == 200
    # A second request the same day sends nothing more (no inbox flooding).
    assert "already sent one today" in client.post(fresh_url).content.decode()
    with scope(shop=shop):
        assert OutboxEmail.objects.filter(to=["bea@example.com"]).count() == 1


def test_revoking_stops_every_earlier_link_at_once(client, shop):
    order = OrderFactory(shop=shop, status="awaiting_shipment", buyer_email="bea@example.com")
    shared = buyer_order_token(order)
    assert _page(client, shop, shared).status_code == 200
    revoke = reverse("store:buyer_link_revoke", kwargs={"store_slug": shop.slug, "token": shared})
    assert client.post(revoke).status_code == 200
    assert _page(Client(), shop, shared).status_code == 410  # whoever it was shared with
    with scope(shop=shop):
        assert OutboxEmail.objects.filter(to=["bea@example.com"]).count() == 1
    order.refresh_from_db()
    assert _page(client, shop, buyer_order_token(order)).status_code == 200


def test_a_forged_or_foreign_link_is_still_a_404(client, shop, other_shop):
    order = OrderFactory(shop=shop)
    token = buyer_order_token(order)
    assert _page(client, shop, token[:-2] + "xx").status_code == 404
    assert _page(client, other_shop, token).status_code == 404
    assert (
        client.post(
            reverse("store:buyer_link_fresh", kwargs={"store_slug": shop.slug, "token": "nope:abc"})
        ).status_code
        == 404
    )


def test_links_emailed_before_links_expired_keep_working_by_the_same_rule(client, shop):
    order = OrderFactory(shop=shop, status="awaiting_shipment")
    legacy = signing.Signer(salt=BUYER_LINK_SALT).sign_object({"s": shop.pk, "o": order.pk})
    assert _page(client, shop, legacy).status_code == 200
    closed = _completed(shop, closed_days_ago=POLICY.buyer_link_valid_days + 1)
    legacy_closed = signing.Signer(salt=BUYER_LINK_SALT).sign_object({"s": shop.pk, "o": closed.pk})
    assert _page(client, shop, legacy_closed).status_code == 410
