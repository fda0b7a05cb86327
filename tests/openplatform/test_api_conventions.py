"""The API's conventions: Idempotency-Key, ETag / If-Match (see the resource tests), problem
documents for every error with nothing written, per-app rate limits, scopes, the OpenAPI file."""

import pytest
from django_scopes import scope

from catalog.models import Product
from openplatform.models import IdempotentResponse
from tests.factories import SKUFactory

pytestmark = pytest.mark.django_db

NEW_PRODUCT = {
    "title": "Enamel mug",
    "description": "A sturdy enamel mug for camping trips and slow mornings at home.",
    "variants": [{"seller_sku": "ENM-1", "price": "12.00", "on_hand": 3}],
}


def product_count(shop):
    with scope(shop=shop):
        return Product.objects.count()


def assert_problem(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status and body["title"] and body["detail"]
    return body


def test_a_repeated_idempotency_key_returns_the_first_answer(api, shop):
    headers = {"Idempotency-Key": "create-enamel-mug"}
    first = api.post("/api/v1/products", NEW_PRODUCT, headers=headers)
    again = api.post("/api/v1/products", NEW_PRODUCT, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert product_count(shop) == 1
    other = dict(NEW_PRODUCT, title="Another mug")
    assert_problem(api.post("/api/v1/products", other, headers=headers), 422)
    assert product_count(shop) == 1


def test_a_refused_request_is_remembered_too_but_a_conflict_is_not(api, shop):
    headers = {"Idempotency-Key": "k-1"}
    bad = dict(NEW_PRODUCT, variants=[{"seller_sku": "X", "price": "0.00"}])
    assert_problem(api.post("/api/v1/products", bad, headers=headers), 400)
    with scope(shop=shop):
        assert IdempotentResponse.objects.get(key="k-1").status_code == 400


@pytest.mark.parametrize(
    "raw, status",
    [
        ("{not json", 400),
        ('{"title": "x", "variants": [], "surprise": 1}', 422),
        ('{"title": 5, "variants": "many"}', 422),
        ('["a list"]', 422),
    ],
)
def test_malformed_bodies_get_a_problem_document_and_write_nothing(api, shop, raw, status):
    response = api.post("/api/v1/products", raw=raw)
    assert response.status_code in (400, 422)
    assert_problem(response, response.status_code)
    assert product_count(shop) == 0


def test_unknown_fields_are_named(api, shop):
    body = assert_problem(api.post("/api/v1/products", dict(NEW_PRODUCT, price_hack=1)), 422)
    assert any(e["field"] == "price_hack" for e in body["errors"])
    assert product_count(shop) == 0


def test_a_huge_body_is_refused_before_it_is_read(api, shop, settings):
    settings.API_MAX_BODY_BYTES = 1000
    huge = dict(NEW_PRODUCT, description="x" * 5000)
    assert_problem(api.post("/api/v1/products", huge), 413)
    assert product_count(shop) == 0


def test_rate_limit_answers_429_with_retry_after(api, settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 3
    answers = [api.get("/api/v1/shop").status_code for _ in range(4)]
    assert answers[:3] == [200, 200, 200]
    limited = api.get("/api/v1/shop")
    assert_problem(limited, 429)
    assert 1 <= int(limited["Retry-After"]) <= 61


def test_rate_limit_is_per_app(api, shop, owner, make_token, client, settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 1
    assert api.get("/api/v1/shop").status_code == 200
    assert api.get("/api/v1/shop").status_code == 429
    other = make_token(shop, owner, name="Other tool").token
    assert (
        client.get("/api/v1/shop", headers={"Authorization": f"Bearer {other}"}).status_code == 200
    )


def test_missing_wrong_and_malformed_tokens_get_401(client, token):
    for headers in ({}, {"Authorization": "Bearer scp_nope"}, {"Authorization": token}):
        assert_problem(client.get("/api/v1/shop", headers=headers), 401)


def test_a_token_without_the_scope_gets_403_and_writes_nothing(shop, owner, make_token, client):
    token = make_token(shop, owner, scopes=["products:read"]).token
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/products", headers=headers).status_code == 200
    response = client.post(
        "/api/v1/products", NEW_PRODUCT, content_type="application/json", headers=headers
    )
    assert_problem(response, 403)
    assert_problem(client.get("/api/v1/orders", headers=headers), 403)
    assert product_count(shop) == 0


def test_a_token_stops_when_its_authorizer_leaves_the_shop(shop, owner, token, client):
    from shops.models import Membership

    with scope(shop=shop):
        Membership.objects.filter(user=owner).delete()
    assert_problem(client.get("/api/v1/shop", headers={"Authorization": f"Bearer {token}"}), 401)


def test_unknown_routes_and_methods_answer_problems(api):
    assert_problem(api.get("/api/v1/nothing-here"), 404)
    assert api.send("delete", "/api/v1/shop").status_code == 405


def test_the_openapi_document_and_reference_page_are_served_locally(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/orders/{order_id}/packages" in schema["paths"]
    page = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page and "cdn" not in page.lower()


def test_reads_do_not_count_as_activity_but_record_the_last_call(api, shop):
    from openplatform.models import ShopApp
    from shops.models import ActivityEvent

    SKUFactory(product__shop=shop)
    api.get("/api/v1/products")
    with scope(shop=shop):
        assert not ActivityEvent.objects.exists()
        assert ShopApp.objects.get().last_call_at is not None
