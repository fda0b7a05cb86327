"""Headers a browser keeps by: seller pages (buyers' names, addresses, messages) and the buyer's
own order pages are never stored in a cache; a ``?next=`` pointing to plain http:// on this very
host is refused over HTTPS and on the production profile, as an attacker would send it."""

import pytest
from django.test import override_settings
from django.urls import reverse

from orders.buyer_links import buyer_order_token
from tests.factories import OrderFactory, UserFactory

pytestmark = pytest.mark.django_db


def _seller_pages(shop, order) -> list[str]:
    slug = {"shop_slug": shop.slug}
    return [
        reverse("orders:order_list", kwargs=slug),
        reverse("orders:order_detail", kwargs={**slug, "order_id": order.pk}),
        reverse("orders:order_packing_slip", kwargs={**slug, "order_id": order.pk}),
        reverse("orders:order_export", kwargs=slug),
        reverse("orders:return_list", kwargs=slug),
        reverse("orders:inbox", kwargs=slug),
        reverse("orders:analytics_customers", kwargs=slug),
        reverse("home", kwargs=slug),
    ]


def test_seller_pages_with_buyer_data_send_no_store(owner_client, shop):
    order = OrderFactory(shop=shop, buyer_name="Bea Buyer")
    for url in _seller_pages(shop, order):
        response = owner_client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
        assert "private" in response["Cache-Control"], url


def test_the_buyers_order_page_sends_no_store(client, shop):
    order = OrderFactory(shop=shop, buyer_name="Bea Buyer")
    token = buyer_order_token(order)
    for url in (
        reverse("store:buyer_order", kwargs={"store_slug": shop.slug, "token": token}),
        reverse("orders_buyer:returns", kwargs={"store_slug": shop.slug, "token": token}),
        reverse("orders_buyer:order_messages", kwargs={"store_slug": shop.slug, "token": token}),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url


HTTP_NEXT = "http://testserver/shops/"


def _sign_in(client, user, password, *, secure):
    return client.post(
        reverse("account_login"),
        {"login": user.email, "password": password, "next": HTTP_NEXT},
        secure=secure,
    )


def test_sign_in_over_https_refuses_a_plain_http_next_on_the_same_host(client, password):
    user = UserFactory(email="next@alpha.test")
    response = _sign_in(client, user, password, secure=True)
    assert response.status_code == 302
    assert not response["Location"].startswith("http://")
    assert response["Location"] == reverse("shop_picker")


@override_settings(PRODUCTION=True)
def test_on_the_production_profile_plain_http_next_is_refused_even_without_the_tls_header(
    client, password
):
    user = UserFactory(email="next2@alpha.test")
    response = _sign_in(client, user, password, secure=False)
    assert response.status_code == 302
    assert response["Location"] == reverse("shop_picker")
    # The same host over HTTPS, or a path, is still a fine place to go back to.
    client.logout()
    response = client.post(
        reverse("account_login"),
        {"login": user.email, "password": password, "next": "/shops/?tab=1"},
    )
    assert response["Location"] == "/shops/?tab=1"


@override_settings(PRODUCTION=True)
def test_reauthentication_refuses_a_plain_http_next(client, owner):
    client.force_login(owner)
    page = client.get(reverse("account_reauth"), {"next": HTTP_NEXT}).content.decode()
    assert HTTP_NEXT not in page
    https_page = client.get(
        reverse("account_reauth"), {"next": "https://testserver/shops/"}
    ).content.decode()
    assert "https://testserver/shops/" in https_page
