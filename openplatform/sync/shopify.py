"""The Shopify Admin REST API, as much of it as the inventory sync reads.

``ShopifyAdmin`` lists the store's variants (``products.json``: SKU code and inventory item id)
and the stock levels of inventory items (``inventory_levels.json``), following the pages that
``Link: <…page_info=…>; rel="next"`` headers name and waiting out a 429 for its ``Retry-After``
(a bounded number of times; ``sleep`` is injected, so tests never wait). Every URL it calls —
the first and each next page — goes through the server-side request forgery guard, and a next
page must stay on the store's own host. Failures raise ``ShopifyError`` with a sentence fit for
the seller. ``SHOPIFY_ADMIN_BASE_URL`` points every store at one address (tests: a local server).
"""

import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
from django.conf import settings

from common.errors import BadInput
from common.outbound import target_check

API_VERSION = "2024-10"
PAGE_SIZE = 250
ITEMS_PER_LEVELS_CALL = 50  # inventory_item_ids per inventory_levels.json call (Shopify's cap)
MAX_RETRIES = 4  # 429s in a row before the sync gives up until its next run
MAX_WAIT_SECONDS = 30.0  # a longer Retry-After is cut to this
MAX_PAGES = 2_000  # 500,000 variants: a bound on any loop over pages
TIMEOUT = (5, 30)  # connect, read (seconds)
LINK = re.compile(r'<([^>]+)>\s*;\s*rel="?([a-z]+)"?')


class ShopifyError(Exception):
    """The store could not be read; ``str()`` is the sentence the seller sees."""


@dataclass(frozen=True)
class Variant:
    sku: str
    inventory_item_id: int


class ShopifyAdmin:
    def __init__(self, *, domain: str, token: str, sleep: Callable[[float], None] = time.sleep):
        self.domain, self.token, self.sleep = domain, token, sleep
        base = settings.SHOPIFY_ADMIN_BASE_URL or f"https://{domain}"
        self.base = f"{base.rstrip('/')}/admin/api/{API_VERSION}"
        self.session = requests.Session()

    def variants(self) -> Iterator[Variant]:
        """Every variant of the store that has a SKU code."""
        for page in self._pages(f"{self.base}/products.json?limit={PAGE_SIZE}", "products"):
            for product in page:
                for variant in product.get("variants") or []:
                    sku = str(variant.get("sku") or "").strip()
                    item = variant.get("inventory_item_id")
                    if sku and isinstance(item, int):
                        yield Variant(sku=sku, inventory_item_id=item)

    def available(self, item_ids: list[int]) -> dict[int, int]:
        """Units available per inventory item, summed over the store's locations; an item
        stocked nowhere is left out (it is not tracked, so there is no level to copy)."""
        levels: dict[int, int] = {}
        for start in range(0, len(item_ids), ITEMS_PER_LEVELS_CALL):
            ids = ",".join(str(i) for i in item_ids[start : start + ITEMS_PER_LEVELS_CALL])
            url = f"{self.base}/inventory_levels.json?inventory_item_ids={ids}&limit={PAGE_SIZE}"
            for page in self._pages(url, "inventory_levels"):
                for level in page:
                    item = level.get("inventory_item_id")
                    if isinstance(item, int):
                        levels[item] = levels.get(item, 0) + int(level.get("available") or 0)
        return levels

    def _pages(self, url: str, key: str) -> Iterator[list[dict]]:
        for _ in range(MAX_PAGES):
            response = self._get(url)
            try:
                yield list(response.json()[key])
            except (ValueError, KeyError, TypeError):
                raise ShopifyError(f"{self.domain} sent an answer we could not read.") from None
            url = _next_link(response.headers.get("Link", ""))
            if not url:
                return
            if urlsplit(url).netloc != urlsplit(self.base).netloc:
                raise ShopifyError(f"{self.domain} sent a next page on another host.")
        raise ShopifyError(f"{self.domain} has more pages than a sync reads.")

    def _get(self, url: str) -> requests.Response:
        try:
            target_check(url, what="The store's address", field="store_domain")
        except BadInput as refused:
            raise ShopifyError(refused.message) from None
        for attempt in range(MAX_RETRIES + 1):
            try:
                response = self.session.get(
                    url, timeout=TIMEOUT, allow_redirects=False,
                    headers={"X-Shopify-Access-Token": self.token, "Accept": "application/json"},
                )  # fmt: skip
            except requests.RequestException as failure:
                raise ShopifyError(f"{self.domain} could not be reached ({failure}).") from None
            if response.status_code != 429 or attempt == MAX_RETRIES:
                break
            self.sleep(_retry_after(response))
        _raise_for(response, self.domain)
        return response


def _raise_for(response: requests.Response, domain: str) -> None:
    code = response.status_code
    if code == 200:
        return
    if code == 401:
        raise ShopifyError(
            f"{domain} refused the access token (401). Create a new Admin API access token in "
            "Shopify and connect the store again."
        )
    if code == 403:
        raise ShopifyError(
            f"The access token may not read products and inventory of {domain} (403). Give the "
            "app the read_products and read_inventory scopes."
        )
    if code == 404:
        raise ShopifyError(f"{domain} has no Admin API here (404). Check the store's domain.")
    if code == 429:
        raise ShopifyError(f"{domain} kept asking us to slow down (429); the next sync retries.")
    raise ShopifyError(f"{domain} answered HTTP {code}; the next sync retries.")


def _retry_after(response: requests.Response) -> float:
    try:
        seconds = float(response.headers.get("Retry-After", "2"))
    except ValueError:
        seconds = 2.0
    return min(max(seconds, 0.0), MAX_WAIT_SECONDS)


def _next_link(header: str) -> str:
    return next((url for url, rel in LINK.findall(header) if rel == "next"), "")
