"""Images named in a Shopify or WooCommerce export are fetched after the import, from a local
server here: checked by content like an upload, size-limited, never from a private address, and
a re-import adds none."""

import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scope
from PIL import Image

from catalog.models import ImportJob, ProductImage
from catalog.services.imports.jobs import import_job_create
from tests.common.local_http import Handler, LocalServer

pytestmark = pytest.mark.django_db
HEADER = "Handle,Title,Option1 Name,Option1 Value,Variant SKU,Variant Price,Variant Inventory Qty,Image Src\n"


def png(side=400, noise=False) -> bytes:
    out = io.BytesIO()
    if noise:  # random pixels do not compress: a big file
        image = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    else:
        image = Image.new("RGB", (side, side), (200, 120, 40))
    image.save(out, format="PNG")
    return out.getvalue()


class ImageHost(LocalServer):
    """Serves /ok.png (a real image), /fake.jpg (text), /big.png (over the limit), /moved.png
    (a redirect to /ok.png); anything else is 404."""

    def __init__(self):
        self.hits: list[str] = []
        files = {"/ok.png": png(), "/big.png": png(300, noise=True), "/fake.jpg": b"<p>hi</p>"}
        host = self

        class Images(Handler):
            def do_GET(self):
                host.hits.append(self.path)
                if self.path == "/moved.png":
                    self.reply(302, headers={"Location": "/ok.png"})
                elif self.path in files:
                    self.reply(200, files[self.path])
                else:
                    self.reply(404)

        super().__init__(Images)
        self.url = self.base_url


@pytest.fixture
def host():
    with ImageHost() as served:
        yield served


def shopify_csv(host) -> bytes:
    u = host.url
    return (
        HEADER
        + f"lamp,Desk lamp,Title,Default Title,LAMP-1,30.00,5,{u}/ok.png\n"
        + f"lamp,,,,,,,{u}/moved.png\n"
        + f"lamp,,,,,,,{u}/fake.jpg\n"
        + f"vase,Vase,Title,Default Title,VASE-1,20.00,3,{u}/big.png\n"
        + f"cup,Cup,Title,Default Title,CUP-1,ten,3,{u}/ok.png\n"  # a refused row: no product
        + f"bowl,Bowl,Title,Default Title,BOWL-1,9.00,3,{u}/missing.png\n"
    ).encode()


def run_import(shop, owner, raw, capture):
    with scope(shop=shop), capture(execute=True):
        job = import_job_create(
            shop=shop,
            actor=owner,
            upload=SimpleUploadedFile("export.csv", raw, content_type="text/csv"),
        )
    with scope(shop=shop):
        return ImportJob.objects.get(pk=job.pk)


def images_of(shop, sku):
    with scope(shop=shop):
        return list(
            ProductImage.objects.filter(product__skus__seller_sku=sku).values_list(
                "width", flat=True
            )
        )


def test_images_are_fetched_checked_and_reported(
    shop, owner, host, override_policy, django_capture_on_commit_callbacks
):
    override_policy(product_image_max_bytes=100_000)
    job = run_import(shop, owner, shopify_csv(host), django_capture_on_commit_callbacks)
    assert job.status == "done" and job.images_finished_at
    assert images_of(shop, "LAMP-1") == [400, 400]  # ok.png and the redirect to it
    assert images_of(shop, "VASE-1") == [] and images_of(shop, "BOWL-1") == []
    assert job.images_added == 2
    errors = "\n".join(job.image_errors)
    assert "fake.jpg was not added: fake.jpg is not an image we can read" in errors
    assert "big.png was not added: it is over" in errors
    assert "missing.png was not added: the server answered HTTP 404" in errors
    assert "CUP-1" not in errors and len(job.image_errors) == 3


def test_a_re_import_adds_no_image_twice(shop, owner, host, django_capture_on_commit_callbacks):
    run_import(shop, owner, shopify_csv(host), django_capture_on_commit_callbacks)
    fetched = len(host.hits)
    again = run_import(shop, owner, shopify_csv(host), django_capture_on_commit_callbacks)
    assert images_of(shop, "LAMP-1") == [400, 400] and again.images_added == 0
    assert not any(hit.startswith("/ok.png") or hit == "/moved.png" for hit in host.hits[fetched:])


def test_an_image_on_a_private_address_is_never_fetched(
    shop, owner, host, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOKS_ALLOW_LOOPBACK = False
    job = run_import(shop, owner, shopify_csv(host), django_capture_on_commit_callbacks)
    assert host.hits == [] and job.images_added == 0
    assert "private or reserved address" in job.image_errors[0]


def test_the_import_page_reports_the_images(
    client, shop, owner, host, django_capture_on_commit_callbacks
):
    job = run_import(shop, owner, shopify_csv(host), django_capture_on_commit_callbacks)
    client.force_login(owner)
    page = client.get(f"/shops/{shop.slug}/products/import/{job.pk}/").content.decode()
    assert 'id="import-images"' in page and "image" in page and "could not be used" in page
