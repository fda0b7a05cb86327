"""Every API route, discovered from the OpenAPI document, refuses another shop's ids.

Shop A is the canary world of the tenant-isolation test. A token of shop B (every scope) calls
every operation with shop A's ids: 404, and no canary in the answer. Operations without ids
answer with B's data only. A revoked token, a token whose authorizer left, and no token get
401 on every operation. Shop A's rows are unchanged afterwards. A new route fails the test
until it has a valid body below, so it cannot join the API unchecked.
"""

import re

import pytest
from django_scopes import scope

from openplatform.api import api
from openplatform.scopes import SCOPES
from openplatform.services import app_revoke, private_app_create
from tests.security.urlwalk import shop_owned_model
from tests.shops.test_tenant_isolation import CANARY, shop_rows_digest

pytestmark = pytest.mark.django_db

SHIP = {"carrier": "ups", "service": "UPS Ground", "tracking_number": "1Z999AA10123456784"}
VARIANT = {"seller_sku": "ISO-1", "price": "9.00", "on_hand": 1}
# A valid body for every write, so each answer is about the ids, not the body's shape.
BODIES = {
    ("post", "/api/v1/products"): {
        "title": "Isolation check",
        "description": "A product B's token creates in shop B, never in shop A.",
        "variants": [VARIANT],
    },
    ("patch", "/api/v1/products/{product_id}"): {"title": "Renamed"},
    ("post", "/api/v1/products/{product_id}/status"): {"action": "deactivate"},
    ("patch", "/api/v1/skus/{sku_id}"): {"price": "5.00"},
    ("put", "/api/v1/skus/{sku_id}/stock"): {"on_hand": 3, "reason": "count"},
    ("post", "/api/v1/skus/{sku_id}/stock/adjustments"): {"delta": 1, "reason": "found"},
    ("post", "/api/v1/orders/{order_id}/packages"): SHIP,
    ("post", "/api/v1/orders/{order_id}/cancel"): {"reason": "Isolation"},
    ("post", "/api/v1/orders/{order_id}/cancellation-request"): {"accept": True},
    ("post", "/api/v1/returns/{return_request_id}/approve"): {},
    ("post", "/api/v1/returns/{return_request_id}/reject"): {"reason": "No"},
    ("post", "/api/v1/returns/{return_request_id}/refund"): {"amount": "1.00"},
    ("post", "/api/v1/webhooks"): {"url": "http://127.0.0.1:9/b", "events": ["order.created"]},
    ("post", "/api/v1/webhooks/deliveries/{webhook_delivery_id}/redeliver"): {},
}


@pytest.fixture
def a_world(shop_a_world):
    """Shop A (its app, webhook subscription and delivery come with the canary world)."""
    return shop_a_world


def api_operations():
    """(method, path template) of every operation in the generated OpenAPI document."""
    paths = api.get_openapi_schema()["paths"]
    return sorted((m, p) for p, ops in paths.items() for m in ops)


def call(client, method, path, token, body=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if method == "get":
        return client.get(path, headers=headers)
    return getattr(client, method)(
        path, body if body is not None else {}, content_type="application/json", headers=headers
    )


def fill_ids(template, shop):
    def one(match):
        model = shop_owned_model(match.group(1))
        assert model, f"{template}: no shop-owned model for {match.group(1)}"
        with scope(shop=shop):
            pk = model.objects.values_list("pk", flat=True).first()
        assert pk, f"{template}: shop {shop.slug} has no {model.__name__}; add one to the fixture"
        return str(pk)

    return re.sub(r"\{(\w+)\}", one, template)


def token_for(shop, user):
    with scope(shop=shop):
        return private_app_create(shop=shop, actor=user, name="B tool", scopes=list(SCOPES))


def test_discovery_finds_the_api():
    found = set(api_operations())
    assert ("get", "/api/v1/orders/{order_id}") in found and len(found) >= 20
    writes = {op for op in found if op[0] != "get"}
    assert writes == set(BODIES), "give every write operation a valid body in BODIES"


def test_a_token_of_another_shop_gets_404_for_every_id_and_sees_nothing(
    client, a_world, b_world, other_owner
):
    shop_a_world = a_world
    token = token_for(b_world, other_owner).token
    before = shop_rows_digest(shop_a_world)
    checked = 0
    for method, template in api_operations():
        body = BODIES.get((method, template))
        if "{" in template:
            url = fill_ids(template, shop_a_world)
            response = call(client, method, url, token, body)
            assert response.status_code == 404, f"{method.upper()} {url} → {response.status_code}"
            assert response["Content-Type"] == "application/problem+json"
            checked += 1
        else:
            response = call(client, method, template, token, body)
            assert response.status_code < 500, (
                f"{method.upper()} {template} → {response.status_code}"
            )
        assert CANARY not in response.content.decode(), f"{method.upper()} {template} leaks A"
    assert checked >= 15
    assert shop_rows_digest(shop_a_world) == before, "B's token changed shop A's rows"


def test_revoked_orphaned_and_missing_tokens_get_401_everywhere(
    client, a_world, owner, other_owner
):
    shop_a_world = a_world
    from tests.factories import MembershipFactory

    shop = shop_a_world
    revoked = token_for(shop, owner)
    with scope(shop=shop):
        app_revoke(shop=shop, actor=owner, app=revoked.app)
    leaver = MembershipFactory(shop=shop, role="owner")
    orphan = token_for(shop, leaver.user)
    leaver.delete()
    before = shop_rows_digest(shop)
    for method, template in api_operations():
        url = fill_ids(template, shop)
        for token in (revoked.token, orphan.token, None, "scp_" + "x" * 43):
            response = call(client, method, url, token, BODIES.get((method, template)))
            assert response.status_code == 401, f"{method.upper()} {url} → {response.status_code}"
            assert CANARY not in response.content.decode()
    assert shop_rows_digest(shop) == before
