"""Coupons resist the two abuses an attacker tries first.

- Per-buyer limits count mailboxes, not spellings: case, a "+tag" and Gmail's dots name the
  same buyer (orders.marketing.models.buyer_identity). Other providers' dots are kept.
- Coupon codes cannot be guessed fast: codes that fail at checkout are counted per address
  and per cart (POLICY.coupon_failures_per_ip / _per_cart in each window); over either limit
  the checkout answers 429 without checking the code — the right code included.
"""

import json

import pytest
from django.test import Client
from django.urls import reverse

from common.errors import Refused
from common.policy import POLICY
from orders.marketing.models import buyer_identity
from tests.factories import CouponFactory
from tests.marketing.conftest import place
from tests.orders.conftest import buyer

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("victim@example.com", "victim+2@example.com"),
        ("victim@example.com", "VICTIM+coupon@Example.COM"),
        ("victim@gmail.com", "v.i.c.t.i.m@gmail.com"),
        ("victim@gmail.com", "Victim+x@googlemail.com"),
    ],
)
def test_a_second_spelling_of_the_same_mailbox_gets_no_second_use(shop, sku, first, second):
    CouponFactory(shop=shop, code="ONCE", per_buyer_limit=1)
    place(shop, (sku, 1), coupon_code="ONCE", email=first)
    with pytest.raises(Refused, match="once per buyer"):
        place(shop, (sku, 1), coupon_code="ONCE", email=second)


def test_other_providers_dots_name_other_mailboxes(shop, sku):
    CouponFactory(shop=shop, code="ONCE", per_buyer_limit=1)
    place(shop, (sku, 1), coupon_code="ONCE", email="victim@example.com")
    place(shop, (sku, 1), coupon_code="ONCE", email="vic.tim@example.com")
    assert buyer_identity("vic.tim@example.com") == "vic.tim@example.com"


def _checkout(client, shop, sku, code, **headers):
    body = {"items": [{"sku_id": sku.pk, "quantity": 1}], "buyer": buyer().__dict__,
            "coupon": code}  # fmt: skip
    return client.post(
        reverse("store:checkout", kwargs={"store_slug": shop.slug}),
        json.dumps(body),
        content_type="application/json",
        headers=headers,
    )


def _with_cart(shop, sku) -> Client:
    """A browser with a session: the storefront keeps its cart there."""
    client = Client()
    session = client.session
    session["store_cart"] = {str(shop.pk): {str(sku.pk): 1}}
    session.save()
    return client


def test_guessing_codes_from_one_cart_meets_429_after_the_cart_limit(shop, sku):
    CouponFactory(shop=shop, code="REAL2026")
    client = _with_cart(shop, sku)
    limit = POLICY.coupon_failures_per_cart
    answers = [_checkout(client, shop, sku, f"GUESS{i:02d}").status_code for i in range(25)]
    assert answers[:limit] == [400] * limit
    assert set(answers[limit:]) == {429}
    # Over the limit, the code is not even looked at: the right one is refused too.
    refused = _checkout(client, shop, sku, "REAL2026")
    assert refused.status_code == 429 and refused.json()["field"] == "coupon"
    # Checking out without a coupon still works.
    assert _checkout(client, shop, sku, "").status_code == 201


def test_new_carts_from_one_address_meet_the_address_limit(shop, sku):
    limit = POLICY.coupon_failures_per_ip
    answers = [
        _checkout(Client(), shop, sku, f"GUESS{i:02d}").status_code  # no session: a fresh cart
        for i in range(limit + 5)
    ]
    assert answers[:limit] == [400] * limit
    assert set(answers[limit:]) == {429}


def test_a_right_code_does_not_count_as_a_failure(shop, sku):
    CouponFactory(shop=shop, code="REAL2026")
    sku.on_hand = 50
    sku.save()
    client = Client()
    for _ in range(POLICY.coupon_failures_per_ip + 2):
        assert _checkout(client, shop, sku, "REAL2026").status_code == 201
