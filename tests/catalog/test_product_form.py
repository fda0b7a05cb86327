"""Creating and editing products through the seller pages, including every bad input."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_scopes import scope

from catalog.models import SKU, Product, ProductImage, StockMovement
from shops.models import ActivityEvent
from tests.catalog.conftest import image_upload, png_bytes
from tests.factories import SKUFactory

pytestmark = pytest.mark.django_db


def form_data(category, variants, **extra):
    data = {
        "title": "Organic cotton tee",
        "description": "Soft, heavyweight organic cotton tee, pre-shrunk, relaxed fit.",
        "category": category.pk,
        "brand": "Sunny",
        "keywords": "tee, cotton",
        "variants-TOTAL_FORMS": str(len(variants)),
        "variants-INITIAL_FORMS": "0",
        "variants-MIN_NUM_FORMS": "0",
        "variants-MAX_NUM_FORMS": "1000",
    }
    for i, v in enumerate(variants):
        for key, value in v.items():
            data[f"variants-{i}-{key}"] = value
    data.update(extra)
    return data


def two_variants(**override):
    first = {
        "seller_sku": "TEE-M",
        "size": "M",
        "colour": "Black",
        "price": "24.00",
        "on_hand": "5",
    }
    second = {
        "seller_sku": "TEE-L",
        "size": "L",
        "colour": "Black",
        "price": "24.00",
        "on_hand": "0",
    }
    first.update(override)
    return [first, second]


def url(shop, name="catalog:product_create"):
    return reverse(name, kwargs={"shop_slug": shop.slug})


def post_refused(client, shop, data, message):
    """Create a product from ``data``: the form comes back with ``message``, nothing is saved."""
    response = client.post(url(shop), data)
    assert message in response.content.decode()
    with scope(shop=shop):
        assert not Product.objects.filter(shop=shop).exists()
    return response


def test_create_with_two_variants_and_an_image_and_publish(owner_client, shop, category):
    with scope(shop=shop):
        data = form_data(category, two_variants(), publish="1")
        data["images"] = [image_upload()]
    response = owner_client.post(url(shop), data)
    assert response.status_code == 302
    with scope(shop=shop):
        product = Product.objects.get(shop=shop)
        assert product.status == Product.Status.LIVE
        assert sorted(product.skus.values_list("seller_sku", flat=True)) == ["TEE-L", "TEE-M"]
        assert product.skus.get(seller_sku="TEE-M").attributes == {"size": "M", "colour": "Black"}
        image = ProductImage.objects.get(product=product)
        assert image.thumbnail.name.endswith(".jpg") and image.width == 400
        # Initial stock is a movement; activity recorded once.
        assert StockMovement.objects.get(sku__seller_sku="TEE-M").on_hand_delta == 5
        assert ActivityEvent.objects.filter(shop=shop, kind="product_modified").count() == 1
    page = owner_client.get(response["Location"])
    assert "The product is live." in page.content.decode()


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"price": "-1"}, "The price must be at least 0.01."),
        ({"price": "abc"}, "Enter a number such as 19.99."),
        ({"price": "1.234"}, "Use at most 2 decimal places."),
        ({"price": "0.00"}, "The price must be at least 0.01."),
        ({"on_hand": "-3"}, "Stock cannot be negative."),
        ({"on_hand": "lots"}, "Enter stock as a whole number"),
        ({"compare_at_price": "20.00"}, "Must be higher than the price."),
    ],
)
def test_bad_variant_input_is_refused_clearly_and_nothing_is_saved(
    owner_client, shop, category, override, message
):
    data = form_data(category, two_variants(**override))
    response = post_refused(owner_client, shop, data, message)
    assert response.status_code == 400  # refused: a client error, never a 500
    with scope(shop=shop):
        assert not SKU.objects.filter(shop=shop).exists()


def test_duplicate_seller_sku_in_the_shop_is_refused(owner_client, shop, category):
    with scope(shop=shop):
        SKUFactory(product__shop=shop, seller_sku="TEE-M")
    response = owner_client.post(url(shop), form_data(category, two_variants()))
    assert "Seller SKU TEE-M is already used by another product" in response.content.decode()
    with scope(shop=shop):
        assert Product.objects.filter(shop=shop).count() == 1


def test_same_seller_sku_twice_in_one_product_is_refused(owner_client, shop, category):
    with scope(shop=shop):
        variants = two_variants()
    variants[1]["seller_sku"] = "TEE-M"
    post_refused(owner_client, shop, form_data(category, variants), "used twice")


def test_ten_images_are_refused(owner_client, shop, category):
    with scope(shop=shop):
        data = form_data(category, two_variants())
        data["images"] = [image_upload(f"p{i}.png") for i in range(10)]
    post_refused(owner_client, shop, data, "at most 9 images; you chose 10")
    with scope(shop=shop):
        assert not ProductImage.objects.exists()


def test_a_50_mb_image_is_refused(owner_client, shop, category):
    with scope(shop=shop):
        data = form_data(category, two_variants())
    big = png_bytes() + b"\0" * (50 * 1024 * 1024)
    data["images"] = [SimpleUploadedFile("huge.png", big, content_type="image/png")]
    post_refused(owner_client, shop, data, "huge.png is 50.0 MB; an image can be at most 5 MB.")


def test_a_non_image_renamed_jpg_is_refused(owner_client, shop, category):
    with scope(shop=shop):
        data = form_data(category, two_variants())
    data["images"] = [
        SimpleUploadedFile("invoice.jpg", b"%PDF-1.7 not an image", content_type="image/jpeg")
    ]
    post_refused(owner_client, shop, data, "invoice.jpg is not an image we can read")


def test_a_tiny_image_is_refused(owner_client, shop, category):
    data = form_data(category, two_variants())
    data["images"] = [image_upload("icon.png", width=40, height=40)]
    post_refused(owner_client, shop, data, "at least 100×100")


def test_edit_keeps_variants_and_detects_a_concurrent_change(owner_client, shop, category):
    owner_client.post(url(shop), form_data(category, two_variants()))
    with scope(shop=shop):
        product = Product.objects.get(shop=shop)
        sku = product.skus.get(seller_sku="TEE-M")
    edit = reverse(
        "catalog:product_edit", kwargs={"shop_slug": shop.slug, "product_id": product.pk}
    )
    assert owner_client.get(edit).status_code == 200
    with scope(shop=shop):
        data = form_data(
            category,
            [
                {
                    "sku_id": sku.pk,
                    "version": sku.version,
                    "seller_sku": "TEE-M",
                    "price": "19.00",
                    "on_hand": "7",
                }
            ],
            title="Renamed tee",
        )
        SKU.objects.filter(pk=sku.pk).update(version=sku.version + 1)  # someone else saved first
    response = owner_client.post(edit, data)
    assert "was changed by someone else" in response.content.decode()
    product.refresh_from_db()
    assert product.title == "Organic cotton tee"
    data["variants-0-version"] = sku.version + 1
    response = owner_client.post(edit, data)
    assert response.status_code == 302
    sku.refresh_from_db()
    product.refresh_from_db()
    assert (product.title, str(sku.price), sku.on_hand) == ("Renamed tee", "19.00", 7)


def test_detail_page_shows_what_to_fix(owner_client, shop, category):
    owner_client.post(url(shop), form_data(category, two_variants(on_hand="0"), publish="1"))
    with scope(shop=shop):
        product = Product.objects.get(shop=shop)
    assert product.status == Product.Status.ISSUES
    page = owner_client.get(
        reverse("catalog:product_detail", kwargs={"shop_slug": shop.slug, "product_id": product.pk})
    ).content.decode()
    assert "Add at least one image." in page and "Add stock to at least one variant." in page


def test_an_edit_that_breaks_a_check_takes_a_live_product_to_issues(owner_client, shop, category):
    with scope(shop=shop):
        data = form_data(category, two_variants(), publish="1")
        data["images"] = [image_upload()]
    owner_client.post(url(shop), data)
    with scope(shop=shop):
        product = Product.objects.get(shop=shop)
        assert product.status == Product.Status.LIVE
        image = product.images.get()
        edit = reverse(
            "catalog:product_edit", kwargs={"shop_slug": shop.slug, "product_id": product.pk}
        )
        rows = [
            {
                "sku_id": s.pk,
                "version": s.version,
                "seller_sku": s.seller_sku,
                "price": "24.00",
                "on_hand": str(s.on_hand),
            }
            for s in product.skus.order_by("id")
        ]
        data = form_data(category, rows, remove_images=[str(image.pk)])
    data["variants-INITIAL_FORMS"] = str(len(rows))
    response = owner_client.post(edit, data, follow=True)
    product.refresh_from_db()
    assert product.status == Product.Status.ISSUES
    assert "no longer live" in response.content.decode()
    with scope(shop=shop):
        assert not product.images.exists()
