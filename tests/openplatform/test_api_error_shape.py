"""Every error under /api/v1/ is one problem document (RFC 9457): a method the route lacks
(405, with Allow), an unknown path (404) and a body that is not JSON (415, nothing written)."""

import json

import pytest
from django_scopes import scope

from catalog.models import Product

pytestmark = pytest.mark.django_db


def assert_problem(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = json.loads(response.content)
    assert body["status"] == status and body["title"] and body["detail"]
    return body


@pytest.mark.parametrize("method", ["delete", "put", "post"])
def test_a_method_the_route_lacks_is_a_405_problem_naming_the_allowed_ones(api, method):
    response = api.send(method, "/api/v1/shop")
    body = assert_problem(response, 405)
    assert response["Allow"] == "GET" and "use GET" in body["detail"]


def test_a_405_is_a_problem_without_a_token_too(client):
    assert_problem(client.delete("/api/v1/orders"), 405)


@pytest.mark.parametrize("path", ["/api/v1/nothing-here", "/api/v1/orders/1/nope", "/api/v1/x/"])
def test_an_unknown_route_is_a_404_problem(api, path):
    assert_problem(api.get(path), 404)
    assert_problem(api.post(path, {}), 404)


def test_a_body_that_is_not_json_is_a_415_problem_and_writes_nothing(api, client, shop):
    body = json.dumps({"title": "Lamp", "category_id": 1})
    for content_type in ("text/plain", "application/x-www-form-urlencoded"):
        response = client.post(
            "/api/v1/products", body, content_type=content_type,
            headers={"Authorization": f"Bearer {api.token}"},
        )  # fmt: skip
        assert_problem(response, 415)
    with scope(shop=shop):
        assert not Product.objects.exists()


def test_json_with_a_charset_is_accepted(api, client):
    response = client.post(
        "/api/v1/webhooks", json.dumps({"url": "http://10.0.0.1/x", "events": ["stock.low"]}),
        content_type="application/json; charset=utf-8",
        headers={"Authorization": f"Bearer {api.token}"},
    )  # fmt: skip
    assert_problem(response, 400)  # past the content type: the private address is refused
