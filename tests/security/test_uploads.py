"""Hostile uploads to every upload field: refused (4xx), never a 5xx, nothing stored.

Fields: product images (catalog product form), verification documents (onboarding), return
photos (the buyer's return page, the seller's receipt rejection). Payloads: a PNG+HTML polyglot,
HTML renamed to the field's extension, an SVG with a script, a decompression bomb (2.5 gigapixels
in ~300 KB), a real 100-megapixel image, truncated files, one byte over the field's limit.
Hostile file names (``../``, NUL, 300 characters) on otherwise good files are either refused or
stored under a name the server chose — never used as a path, never a 5xx.
"""

import resource
import struct
import zlib
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from catalog.models import Product, ProductImage
from common.policy import POLICY
from orders.buyer_links import buyer_order_token as make_buyer_token
from orders.returns.models import ReturnPhoto, ReturnRequest
from shops.models import VerificationDocument
from shops.services import onboarding
from tests.documents import bomb_png_bytes, jpeg_bytes, pdf_bytes, png_bytes
from tests.factories import CategoryFactory
from tests.orders.aftersales import delivered_order
from tests.security.worlds import files_under

pytestmark = pytest.mark.django_db

HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="800" height="800">'
    b"<script>alert(document.domain)</script><rect width='800' height='800'/></svg>"
)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def bomb_bytes(side: int = 50_000) -> bytes:
    """A real PNG of side×side 1-bit pixels, all zero: a few hundred KB, gigapixels decoded."""
    row = b"\x00" * (1 + side // 8)
    packer = zlib.compressobj(9)
    block = row * 1000
    out = [packer.compress(block) for _ in range(side // 1000)]
    out.append(packer.flush())
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", b"".join(out))
        + _chunk(b"IEND", b"")
    )


def padded_png(total: int) -> bytes:
    """A valid PNG (text chunk as padding) of exactly ``total`` bytes."""
    base = png_bytes()
    end = base.rindex(b"IEND") - 4
    pad = total - len(base) - 12
    return base[:end] + _chunk(b"tEXt", b"c\x00" + b"x" * (pad - 2)) + base[end:]


def payloads(kind: str, limit: int):
    """(label, file name, bytes, content type) of every hostile file for a field."""
    good = png_bytes()
    ext = "pdf" if kind == "document" else "png"
    yield "polyglot PNG+HTML", "photo.png", good + HTML, "image/png"
    yield "polyglot PNG with HTML inside", "photo.png", padded_png_with(HTML), "image/png"
    yield "HTML renamed", f"scan.{ext}", HTML, "application/pdf" if ext == "pdf" else "image/png"
    yield "HTML renamed .jpg", "photo.jpg", HTML, "image/jpeg"
    yield "SVG with script", "logo.svg", SVG, "image/svg+xml"
    yield "SVG renamed .png", "logo.png", SVG, "image/png"
    yield "decompression bomb", "bomb.png", bomb_bytes(), "image/png"
    yield "100-megapixel image", "huge.png", bomb_png_bytes(), "image/png"
    yield "truncated PNG", "cut.png", good[: len(good) // 2], "image/png"
    jpeg = jpeg_bytes()
    yield "truncated JPEG", "cut.jpg", jpeg[: len(jpeg) // 2], "image/jpeg"
    if kind == "document":
        pdf = pdf_bytes()
        yield "truncated PDF", "cut.pdf", pdf[: len(pdf) // 2], "application/pdf"
    yield "one byte over the limit", "big.png", padded_png(limit + 1), "image/png"
    yield "empty file", "empty.png", b"", "image/png"


def padded_png_with(extra: bytes) -> bytes:
    base = png_bytes()
    end = base.rindex(b"IEND") - 4
    return base[:end] + _chunk(b"tEXt", b"c\x00" + extra) + base[end:]


HOSTILE_NAMES = ["../../../../tmp/evil.png", "a\x00.png.html", "n" * 300 + ".png"]


# --- the four upload fields --------------------------------------------------------------------
@pytest.fixture
def doors(client, shop, owner, isolated_storage):
    """name → (post(file) → response, stored() → count, limit)."""
    client.force_login(owner)
    category = CategoryFactory()
    onboarding.profile_set_seller_type(shop=shop, actor=owner, seller_type="individual")
    calls = iter(range(1000))

    def product(upload):
        data = {
            "title": "Organic cotton tee",
            "description": "Soft, heavyweight organic cotton tee, pre-shrunk, relaxed fit.",
            "category": category.pk,
            "variants-TOTAL_FORMS": "1",
            "variants-INITIAL_FORMS": "0",
            "variants-MIN_NUM_FORMS": "0",
            "variants-MAX_NUM_FORMS": "1000",
            "variants-0-seller_sku": f"TEE-{next(calls)}",
            "variants-0-price": "24.00",
            "variants-0-on_hand": "5",
            "images": [upload],
            "save": "1",
        }
        return client.post(reverse("catalog:product_create", kwargs={"shop_slug": shop.slug}), data)

    def document(upload):
        data = {
            "doc_type": "us_passport",
            "expires_on": (timezone.localdate() + timedelta(days=400)).isoformat(),
            "file": upload,
        }
        return client.post(reverse("onboarding:documents", kwargs={"shop_slug": shop.slug}), data)

    def return_photo(upload):
        # A fresh delivered order each time: one return per line.
        delivered = delivered_order(shop, delivered_at=timezone.now() - timedelta(days=2))
        with scope(shop=shop):
            line = delivered.lines.get()
        buyer_url = reverse(
            "orders_buyer:returns",
            kwargs={"store_slug": shop.slug, "token": make_buyer_token(delivered)},
        )
        data = {
            "action": "request",
            "line": line.pk,
            "kind": "return_and_refund",
            "reason": "Wrong size",
            "photos": [upload],
        }
        return client.post(buyer_url, data)

    def in_shop(count):
        def counted():
            with scope(shop=shop):
                return count()

        return counted

    return {
        "product image": (
            product,
            in_shop(lambda: (Product.objects.count(), ProductImage.objects.count())),
            POLICY.product_image_max_bytes,
        ),
        "document": (
            document,
            in_shop(lambda: VerificationDocument.objects.count()),
            POLICY.document_max_bytes,
        ),
        "return photo": (
            return_photo,
            in_shop(lambda: (ReturnRequest.objects.count(), ReturnPhoto.objects.count())),
            POLICY.return_photo_max_bytes,
        ),
    }


@pytest.mark.parametrize("door", ["product image", "document", "return photo"])
def test_every_hostile_file_is_refused_and_nothing_is_stored(door, doors, isolated_storage):
    post, stored, limit = doors[door]
    kind = "document" if door == "document" else "image"
    before_rows = stored()
    before_files = set().union(*(files_under(root) for root in isolated_storage))
    accepted = []
    for label, name, content, ctype in payloads(kind, limit):
        rows = stored()
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        response = post(SimpleUploadedFile(name, content, content_type=ctype))
        grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss) / 1024
        assert response.status_code < 500, f"{door}: {label} → {response.status_code}"
        assert grown_mb < 150, f"{door}: {label} took {grown_mb:.0f} MB more memory"
        if response.status_code < 400 or stored() != rows:
            accepted.append(f"{label} → {response.status_code}")
    after_files = set().union(*(files_under(root) for root in isolated_storage))
    assert accepted == []
    assert stored() == before_rows
    assert after_files == before_files


@pytest.mark.parametrize("door", ["product image", "document", "return photo"])
def test_hostile_file_names_never_become_paths(door, doors, isolated_storage, tmp_path, shop):
    post, stored, _ = doors[door]
    for name in HOSTILE_NAMES:
        content = png_bytes()
        response = post(SimpleUploadedFile(name, content, content_type="image/png"))
        assert response.status_code < 500, f"{door}: {name!r} → {response.status_code}"
    # Whatever was kept sits inside the storage roots under a clean name of the server's.
    for root in isolated_storage:
        for path in files_under(root):
            assert ".." not in path and "\x00" not in path and "evil" not in path, path
            assert len(path.rsplit("/", 1)[-1]) <= 100, path
    assert not (tmp_path.parent / "evil.png").exists()
    with scope(shop=shop):
        documents = list(VerificationDocument.objects.all())
    for document in documents:
        assert "/" not in document.original_name and "\x00" not in document.original_name
        assert len(document.original_name) <= 255


def test_a_product_image_is_stored_and_served_by_its_content_type_not_its_name(
    doors, isolated_storage, client, shop
):
    """A real PNG named page.html used to be stored as products/…/<uuid>.html and served as
    text/html from our own origin."""
    post, stored, _ = doors["product image"]
    response = post(SimpleUploadedFile("page.html", png_bytes(), content_type="text/html"))
    assert response.status_code == 302
    with scope(shop=shop):
        image = ProductImage.objects.get()
    assert image.image.name.endswith(".png"), image.image.name
    served = client.get(f"/media/{image.image.name}")
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
