"""Media serving, product actions from the detail page, recovery, and activity per call."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.urls import reverse
from django_scopes import scope

from catalog.models import Product
from shops.models import ActivityEvent
from tests.catalog.conftest import image_upload
from tests.factories import ProductFactory, listable_product

pytestmark = pytest.mark.django_db
S = Product.Status


def test_product_images_are_served_with_debug_off(client, settings):
    settings.DEBUG = False
    path = default_storage.save("products/1/abc.png", image_upload())
    response = client.get(f"/media/{path}")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert "immutable" in response["Cache-Control"]


@pytest.mark.parametrize(
    "path", ["../secret.txt", "products/../../etc/passwd", "imports/1/x.csv", "products/none.png"]
)
def test_media_view_serves_only_existing_product_images(client, path):
    storages["private"].save("imports/1/x.csv", ContentFile(b"seller_sku\n"))
    assert client.get(f"/media/{path}").status_code == 404


def action_url(shop, product):
    return reverse(
        "catalog:product_action", kwargs={"shop_slug": shop.slug, "product_id": product.pk}
    )


def test_activate_from_the_detail_page_and_refusal_messages(owner_client, shop):
    product = listable_product(shop)
    response = owner_client.post(action_url(shop, product), {"action": "activate"}, follow=True)
    assert "The product is live." in response.content.decode()
    delisted = listable_product(shop, status=S.DELISTED)
    response = owner_client.post(action_url(shop, delisted), {"action": "activate"}, follow=True)
    assert "Re-list your store" in response.content.decode()
    delisted.refresh_from_db()
    assert delisted.status == S.DELISTED


def test_delete_then_recover_from_the_list(owner_client, shop):
    product = listable_product(shop, status=S.LIVE, title="Comeback tee")
    owner_client.post(action_url(shop, product), {"action": "delete"})
    product.refresh_from_db()
    assert product.status == S.DELETED
    detail = reverse(
        "catalog:product_detail", kwargs={"shop_slug": shop.slug, "product_id": product.pk}
    )
    assert owner_client.get(detail).status_code == 404
    bin_page = owner_client.get(
        reverse("catalog:product_list", kwargs={"shop_slug": shop.slug}) + "?status=deleted"
    )
    assert "Comeback tee" in bin_page.content.decode()
    owner_client.post(
        reverse(
            "catalog:product_recover", kwargs={"shop_slug": shop.slug, "product_id": product.pk}
        )
    )
    product.refresh_from_db()
    assert product.status == S.DRAFT


def test_bulk_records_activity_once_per_call(owner_client, shop):
    with scope(shop=shop):
        products = [listable_product(shop, status=S.LIVE) for _ in range(3)]
    owner_client.post(
        reverse("catalog:product_bulk", kwargs={"shop_slug": shop.slug}),
        {
            "action": "deactivate",
            "scope": "selected",
            "confirm": "1",
            "ids": [p.pk for p in products],
        },
    )
    with scope(shop=shop):
        assert ActivityEvent.objects.filter(shop=shop, kind="product_modified").count() == 1


def test_staff_role_cannot_open_the_catalog(client, shop):
    from tests.factories import MembershipFactory

    staff = MembershipFactory(shop=shop, role="staff").user
    client.force_login(staff)
    ProductFactory(shop=shop)
    assert (
        client.get(reverse("catalog:product_list", kwargs={"shop_slug": shop.slug})).status_code
        == 403
    )
