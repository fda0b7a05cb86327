"""Product images named in an imported Shopify or WooCommerce export (``Image Src`` /
``Images``), fetched once the rows are in, by a task, so a slow image host never holds up the
import.

``ImageFetcher`` is the HTTP adapter: every URL (and every redirect, at most three) passes the
server-side request forgery guard (common.outbound), the body is read in pieces and refused past
``POLICY.product_image_max_bytes``, and nothing else is trusted — the bytes go through the same
content check as an uploaded image (catalog.services.images.image_check: Pillow decides what it
is). A product that already has images keeps them (a re-import adds none), a product whose row
was refused gets none, and each URL that fails is named on the import's page.
"""

import posixpath
from urllib.parse import urljoin, urlsplit

import requests
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from catalog.models import SKU, ImportJob, Product, ProductImage
from catalog.services.images import image_check
from catalog.services.products.editing import product_images_store
from common.errors import BadInput
from common.outbound import target_check
from common.policy import POLICY
from shops.models import Shop

TIMEOUT = (5, 20)  # connect, read (seconds)
MAX_REDIRECTS = 3
MAX_ERRORS_KEPT = 100


class ImageFetchError(Exception):
    """The image could not be fetched; ``str()`` says why, for the seller."""


class ImageFetcher:
    def __init__(self, *, max_bytes: int | None = None):
        self.max_bytes = max_bytes or POLICY.product_image_max_bytes
        self.session = requests.Session()

    def get(self, url: str) -> bytes:
        for _ in range(MAX_REDIRECTS + 1):
            try:
                target_check(url, what="The image address")
            except BadInput as refused:
                raise ImageFetchError(refused.message) from None
            try:
                with self.session.get(
                    url, timeout=TIMEOUT, stream=True, allow_redirects=False
                ) as response:
                    if response.is_redirect:
                        url = urljoin(url, response.headers.get("Location", ""))
                        continue
                    if response.status_code != 200:
                        raise ImageFetchError(f"the server answered HTTP {response.status_code}")
                    return self._read(response)
            except requests.RequestException as failure:
                raise ImageFetchError(
                    f"it could not be fetched ({type(failure).__name__})"
                ) from None
        raise ImageFetchError("it redirects too many times")

    def _read(self, response: requests.Response) -> bytes:
        limit = self.max_bytes
        if int(response.headers.get("Content-Length") or 0) > limit:
            raise ImageFetchError(f"it is over {limit // (1024 * 1024)} MB")
        data = bytearray()
        for piece in response.iter_content(64 * 1024):
            data += piece
            if len(data) > limit:
                raise ImageFetchError(f"it is over {limit // (1024 * 1024)} MB")
        return bytes(data)


def import_images_fetch(*, shop: Shop, job_id: int, fetcher: ImageFetcher | None = None) -> int:
    """Fetch and attach the job's images once (a claim makes a repeat a no-op); returns the
    images added."""
    claimed = ImportJob.objects.filter(
        shop=shop, pk=job_id, status=ImportJob.Status.DONE, images_started_at__isnull=True
    ).update(images_started_at=timezone.now())
    if not claimed:
        return 0
    job = ImportJob.objects.get(shop=shop, pk=job_id)
    fetcher = fetcher or ImageFetcher()
    owners = dict(
        SKU.objects.filter(shop=shop, seller_sku__in=list(job.image_urls)).values_list(
            "seller_sku", "product_id"
        )
    )
    illustrated = set(
        ProductImage.objects.filter(shop=shop, product_id__in=set(owners.values())).values_list(
            "product_id", flat=True
        )
    )
    added, errors = 0, []
    for sku, urls in job.image_urls.items():
        product_id = owners.get(sku)
        if product_id is None or product_id in illustrated:
            continue
        checked = []
        for url in urls[: POLICY.product_max_images]:
            try:
                checked.append(image_check(_upload(url, fetcher.get(url))))
            except (ImageFetchError, ValidationError) as refused:
                reason = (
                    "; ".join(refused.messages) if isinstance(refused, ValidationError) else refused
                )
                errors.append(f"{sku}: {url} was not added: {reason}.")
        if checked:
            with transaction.atomic():
                product = Product.objects.select_for_update().get(shop=shop, pk=product_id)
                product_images_store(shop=shop, product=product, checked=checked)
            added += len(checked)
    ImportJob.objects.filter(pk=job.pk).update(
        images_added=added, image_errors=errors[:MAX_ERRORS_KEPT], images_finished_at=timezone.now()
    )
    return added


def _upload(url: str, data: bytes) -> SimpleUploadedFile:
    name = posixpath.basename(urlsplit(url).path)[:100] or "image"
    return SimpleUploadedFile(name, data)
