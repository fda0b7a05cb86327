"""Products in the staff console: trust & safety suspend with a reason the seller
sees, lift the suspension; filters by status and by one shop."""

import pytest
from django.urls import reverse

from catalog.models import Product
from tests.admin_actions import post_action
from tests.factories import ShopFactory, listable_product, sign_in_verified, staff_in_group
from tests.staff.conftest import T_AND_S

pytestmark = pytest.mark.django_db
PRODUCTS = "admin:catalog_product_changelist"


def test_suspended_reason_shows_on_the_sellers_product_page(client, owner, shop):
    product = listable_product(shop, status=Product.Status.LIVE, title="Glow serum")
    sign_in_verified(client, staff_in_group(T_AND_S))
    page = post_action(client, PRODUCTS, "suspend_products", [product.pk])
    assert b"The seller sees this" in page.content
    empty = post_action(client, PRODUCTS, "suspend_products", [product.pk], apply="1", reason="")
    assert empty.status_code == 400
    post_action(
        client, PRODUCTS, "suspend_products", [product.pk], apply="1",
        reason="Listing claims FDA approval: remove the claim.",
    )  # fmt: skip
    product.refresh_from_db()
    assert product.status == "suspended"
    client.force_login(owner)
    detail = client.get(
        reverse("catalog:product_detail", kwargs={"shop_slug": shop.slug, "product_id": product.pk})
    ).content.decode()
    assert "Suspended by platform staff:" in detail
    assert "Listing claims FDA approval: remove the claim." in detail


def test_lift_a_suspension_and_refuse_products_that_are_not_suspended(admin_client, shop):
    suspended = listable_product(shop, status=Product.Status.SUSPENDED, status_reason="x")
    live = listable_product(shop, status=Product.Status.LIVE)
    response = post_action(admin_client, PRODUCTS, "lift_suspensions", [suspended.pk, live.pk])
    assert response.status_code == 302
    suspended.refresh_from_db()
    live.refresh_from_db()
    assert (suspended.status, live.status) == ("live", "live")
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("not suspended" in m for m in messages)


def test_filter_by_status_and_by_one_shop(admin_client, shop):
    other = ShopFactory(slug="elsewhere")
    mine = listable_product(shop, status=Product.Status.SUSPENDED, status_reason="x")
    listable_product(shop, status=Product.Status.LIVE)
    listable_product(other, status=Product.Status.SUSPENDED, status_reason="y")

    def ids(**params):
        response = admin_client.get(reverse(PRODUCTS), params)
        assert response.status_code == 200
        return [p.pk for p in response.context["cl"].result_list]

    assert ids(status__exact="suspended", shop=shop.slug) == [mine.pk]
    assert ids(status__exact="suspended", shop=str(shop.pk)) == [mine.pk]
    assert len(ids(shop="elsewhere")) == 1
    html = admin_client.get(reverse(PRODUCTS), {"status__exact": "suspended"}).content.decode()
    assert 'name="status__exact" value="suspended"' in html  # kept by the shop box
