"""Images are recognised by content through one check (common.images.image_sniff), called by the
three places sellers and buyers upload them — verification documents, product images and
return photos — each with its own limits and its own words."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from catalog.services.images import image_check
from orders.returns.models import ReturnRequest
from orders.returns.services import return_open
from shops.models import SellerProfile, Shop, VerificationDocument
from tests.documents import png_bytes, upload
from tests.orders.aftersales import at, delivered_order
from tests.storage import field_files_in

pytestmark = pytest.mark.django_db
MB = 1024 * 1024
RENAMED_PROGRAM = b"MZ\x90\x00" + b"\x00" * 5000  # a Windows program called photo.png


def oversize(limit: int) -> bytes:
    """A real PNG one byte over ``limit``: only its size is wrong."""
    image = png_bytes(900, 900)
    return image + b"\x00" * (limit + 1 - len(image))


def document_upload(shop, client, file) -> str:
    with scope(shop=shop):
        Shop.objects.filter(pk=shop.pk).update(status=Shop.Status.PENDING_VERIFICATION)
        SellerProfile.objects.get_or_create(shop=shop, defaults={"seller_type_chosen": True})
    response = client.post(
        reverse("onboarding:documents", kwargs={"shop_slug": shop.slug}),
        {
            "doc_type": "us_passport",
            "file": file,
            "expires_on": (timezone.localdate() + timedelta(days=400)).isoformat(),
        },
    )
    assert response.status_code == 400
    with scope(shop=shop):
        assert not VerificationDocument.objects.exists()
    return response.content.decode()


def product_image(shop, client, file) -> str:
    with pytest.raises(ValidationError) as refused:
        image_check(file)
    return " ".join(refused.value.messages)


def return_photo(shop, client, file) -> str:
    with scope(shop=shop):
        order = delivered_order(shop, delivered_at=at(2026, 3, 1))
        with pytest.raises(ValidationError) as refused:
            return_open(shop=shop, order=order, line=order.lines.first(), kind="refund_only",
                        reason="Wrong size", photos=[file], now=at(2026, 3, 2))  # fmt: skip
        assert not ReturnRequest.objects.exists()
        return " ".join(refused.value.messages)


CASES = [
    # entry point, the file, what the person is told
    (document_upload, upload("photo.png", RENAMED_PROGRAM), "not a PDF, JPEG or PNG"),
    (document_upload, upload("photo.png", oversize(10 * MB)), "larger than 10 MB"),
    (document_upload, upload("photo.png", png_bytes(599, 800)), "too small to read"),
    (product_image, upload("photo.png", RENAMED_PROGRAM), "not an image we can read"),
    (product_image, upload("photo.png", oversize(5 * MB)), "can be at most 5 MB"),
    (product_image, upload("photo.png", png_bytes(99, 400)), "at least 100×100"),
    (return_photo, upload("photo.png", RENAMED_PROGRAM), "not a photo we can read"),
    (return_photo, upload("photo.png", oversize(5 * MB)), "larger than 5 MB"),
    # Return photos have no minimum size: SPEC sets none for them.
]


@pytest.mark.parametrize(
    ("entry", "file", "message"),
    CASES,
    ids=[f"{entry.__name__}-{n % 3}" for n, (entry, _, _) in enumerate(CASES)],
)
def test_each_upload_refuses_what_is_not_a_usable_image_in_its_own_words(
    shop, owner_client, monkeypatch, tmp_path, entry, file, message
):
    with scope(shop=shop):
        field_files_in(monkeypatch, tmp_path, (VerificationDocument, "file"))
    assert message in entry(shop, owner_client, file)


def test_the_smallest_allowed_product_image_passes(shop):
    checked = image_check(upload("ok.png", png_bytes(100, 100)))
    assert (checked.format, checked.width, checked.height) == ("PNG", 100, 100)
