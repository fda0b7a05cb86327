"""A checkout key is bound to what it was first sent with: the cart, the buyer and the coupon.

Another buyer who learns a key (a shared computer, a leaked log) and posts it to the checkout
with their own — or an empty — cart gets 422 and nothing of the first order; the first buyer's
own retry still gets their order back."""

import json

import pytest
from django.test import Client
from django_scopes import scope

from orders.models import Order
from tests.orders.test_checkout import checkout_url, post_checkout

pytestmark = pytest.mark.django_db
KEY = "victim-key-000111"


def _victim_order(shop, sku):
    response = post_checkout(Client(), shop, [(sku.pk, 1)], key=KEY)
    assert response.status_code == 201
    return response.json()


def _reveals_nothing(response, victim) -> None:
    assert response.status_code == 422, response.content
    body = response.content.decode()
    assert set(response.json()) == {"error", "field"}
    for secret in (victim["order_number"], victim["order_url"], "Bea Buyer", "1 Main St"):
        assert secret not in body


@pytest.mark.parametrize(
    "items",
    [[], [{"sku_id": 999999, "quantity": 1}]],
    ids=["empty-cart", "unknown-sku"],
)
def test_another_buyers_key_with_an_empty_or_unknown_cart_gets_422(shop, sku, items):
    victim = _victim_order(shop, sku)
    attacker = Client()
    body = {"items": items, "buyer": {"name": "Mallory"}, "checkout_key": KEY}
    response = attacker.post(checkout_url(shop), json.dumps(body), content_type="application/json")
    _reveals_nothing(response, victim)


def test_another_buyers_key_with_an_unrelated_cart_gets_422_and_writes_nothing(shop, sku, sku2):
    victim = _victim_order(shop, sku)
    response = post_checkout(
        Client(), shop, [(sku2.pk, 1)], key=KEY, name="Mallory", email="m@example.com"
    )
    _reveals_nothing(response, victim)
    sku2.refresh_from_db()
    assert sku2.reserved == 0
    with scope(shop=shop):
        assert Order.objects.filter(shop=shop).count() == 1


def test_the_same_cart_for_another_buyer_gets_422(shop, sku):
    victim = _victim_order(shop, sku)
    response = post_checkout(Client(), shop, [(sku.pk, 1)], key=KEY, email="mallory@example.com")
    _reveals_nothing(response, victim)


def test_a_different_coupon_is_a_different_body(shop, sku):
    victim = _victim_order(shop, sku)
    body = {
        "items": [{"sku_id": sku.pk, "quantity": 1}],
        "buyer": json.loads(json.dumps(_buyer())),
        "checkout_key": KEY,
        "coupon": "SOMETHING",
    }
    response = Client().post(checkout_url(shop), json.dumps(body), content_type="application/json")
    _reveals_nothing(response, victim)


def test_the_buyers_own_retry_still_gets_the_order(shop, sku):
    victim = _victim_order(shop, sku)
    again = post_checkout(Client(), shop, [(sku.pk, 1)], key=KEY)
    assert again.status_code == 200
    assert again.json()["order_number"] == victim["order_number"]


def test_the_stored_fingerprint_is_not_the_buyers_email(shop, sku):
    _victim_order(shop, sku)
    with scope(shop=shop):
        fingerprint = Order.objects.get(shop=shop).checkout_fingerprint
    assert len(fingerprint) == 64 and "bea" not in fingerprint


def _buyer() -> dict:
    from tests.orders.conftest import buyer

    return buyer().__dict__
