"""A refusal raised in a service (a common.errors.DomainError) reaches the person as a 4xx with
its sentence — on a page, in an htmx request and in the JSON checkout — and nothing is written."""

import pytest
from django.urls import reverse
from django_scopes import scope

from catalog.models import Product
from shops.models import Shop
from tests.factories import ProductFactory
from tests.orders.test_checkout import nothing_written, post_checkout

pytestmark = pytest.mark.django_db

REFUSAL = "A deactivated shop cannot be re-listed."


@pytest.fixture
def deactivated(shop):
    Shop.objects.filter(pk=shop.pk).update(status=Shop.Status.DEACTIVATED)
    return ProductFactory(shop=shop, status="delisted", delisted_by="inactivity")


def relist(client, **headers):
    return client.post(reverse("lifecycle:relist", kwargs={"shop_slug": "alpha-goods"}), **headers)


def test_a_refusal_on_a_page_is_a_409_page_with_its_message(owner_client, deactivated):
    response = relist(owner_client, HTTP_REFERER="http://testserver/shops/alpha-goods/")
    assert response.status_code == 409
    page = response.content.decode()
    assert REFUSAL in page and "<html" in page
    assert 'href="http://testserver/shops/alpha-goods/"' in page  # the way back
    with scope(shop=deactivated.shop):
        assert Product.objects.get(pk=deactivated.pk).status == "delisted"


def test_a_refusal_in_an_htmx_request_is_a_message_fragment(owner_client, deactivated):
    response = relist(owner_client, headers={"HX-Request": "true"})
    assert response.status_code == 409
    assert response["HX-Retarget"] == "body" and response["HX-Reswap"] == "beforeend"
    fragment = response.content.decode()
    assert REFUSAL in fragment and "<html" not in fragment and 'role="alert"' in fragment
    with scope(shop=deactivated.shop):
        assert Product.objects.get(pk=deactivated.pk).status == "delisted"


def test_a_refusal_in_the_json_checkout_is_error_and_field(client, shop, sku):
    response = post_checkout(client, shop, [(sku.pk, 99)])
    assert response.status_code == 409
    assert set(response.json()) == {"error", "field"}
    assert "stock" in response.json()["error"].lower()
    nothing_written(shop, sku)
