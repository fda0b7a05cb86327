"""PostgreSQL, real HTTP: a flash sale on one pinned SKU under 64 concurrent buyers against the
live server. Exactly the allocation is sold, per-buyer limits hold, no answer is a 5xx, and every
refusal is a 409 that says why (sold out, or the buyer's limit). Counts and invariants only: no
timing is asserted."""

import json
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from threading import Barrier, BrokenBarrierError

import pytest
import requests
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from catalog.models import SKU
from orders.marketing.live_models import LivePin, LiveSale, LiveSession
from orders.marketing.live_services import live_pin_save, live_session_start
from orders.models import Order
from tests.factories import SKUFactory
from tests.orders.conftest import buyer, make_template

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
BUYERS = 64
ALLOCATION = 50
LIMIT = 3


@pytest.fixture
def flash_sale(shop, owner):
    with scopes_disabled():
        make_template(shop)
        sku = SKUFactory(product__shop=shop, product__title="Flash Hoodie", price=Decimal("40.00"),
                         on_hand=500)  # fmt: skip
        session = LiveSession.objects.create(
            shop=shop, title="Flash sale", starts_at=timezone.now(), expected_minutes=30
        )
    with scope(shop=shop):
        live_pin_save(
            shop=shop,
            actor=owner,
            session=session,
            product=sku.product,
            live_price=Decimal("19.99"),
            allocation=ALLOCATION,
            per_buyer_limit=LIMIT,
        )
        live_session_start(shop=shop, actor=owner, session=session)
    return sku


def buyers() -> list[str]:
    """8 greedy buyers try 4 times each (their limit is 3), 32 others once: 56 units wanted."""
    greedy = [f"greedy{n}@example.com" for n in range(8) for _ in range(4)]
    return greedy + [f"fan{n}@example.com" for n in range(BUYERS - len(greedy))]


def test_64_buyers_against_an_allocation_of_50_buy_exactly_50(live_server, shop, flash_sale):
    sku = flash_sale
    cart_url = live_server.url + reverse("store:cart", kwargs={"store_slug": shop.slug})
    checkout_url = live_server.url + reverse("store:checkout", kwargs={"store_slug": shop.slug})
    emails = buyers()
    start = Barrier(len(emails))

    def attempt(n: int) -> tuple[str, int, str]:
        with requests.Session() as http:
            http.get(cart_url, timeout=60)  # the storefront page sets the CSRF cookie
            body = {
                "items": [{"sku_id": sku.pk, "quantity": 1}],
                "buyer": buyer(email=emails[n]).__dict__,
                "checkout_key": f"flash-{n:04d}",
            }
            try:
                start.wait(timeout=60)
            except BrokenBarrierError:
                pass
            response = http.post(
                checkout_url,
                data=json.dumps(body),
                headers={
                    "Content-Type": "application/json",
                    "X-CSRFToken": http.cookies.get("csrftoken", ""),
                },
                timeout=120,
            )
            error = response.json().get("error", "") if response.status_code != 201 else ""
            return emails[n], response.status_code, error

    with ThreadPoolExecutor(max_workers=len(emails)) as pool:
        results = list(pool.map(attempt, range(len(emails))))

    statuses = [status for _, status, _ in results]
    assert all(status < 500 for status in statuses), statuses
    assert statuses.count(201) == ALLOCATION
    refusals = [(email, status, error) for email, status, error in results if status != 201]
    assert all(status == 409 for _, status, _ in refusals), refusals
    assert all("sold out" in error or "per buyer" in error for _, _, error in refusals), refusals
    with scope(shop=shop):
        assert Order.objects.count() == ALLOCATION
        assert LivePin.objects.get().sold == ALLOCATION
        assert LiveSale.objects.aggregate(n=Sum("quantity"))["n"] == ALLOCATION
        assert SKU.objects.get(pk=sku.pk).reserved == ALLOCATION
        per_buyer = {}
        for email in Order.objects.values_list("buyer_email", flat=True):
            per_buyer[email] = per_buyer.get(email, 0) + 1
        assert max(per_buyer.values()) <= LIMIT
        assert all(o.total == o.subtotal + o.shipping_fee - Decimal("20.01")
                   for o in Order.objects.all())  # fmt: skip
