"""A local Shopify Admin REST API (loopback only, stopped by the test): ``products.json`` and
``inventory_levels.json`` in the documented shapes, paged with ``Link: <…page_info=…>;
rel="next"`` headers, answering 401 to a wrong ``X-Shopify-Access-Token`` and 429 with
``Retry-After`` while ``throttle`` says so."""

import json
from urllib.parse import parse_qs, urlsplit

from tests.common.local_http import Handler, LocalServer

API = "/admin/api/2024-10"


class FakeShopify(LocalServer):
    def __init__(self, *, token="shpat_good", products=(), levels=None, page_size=2):
        """``products``: [(product_id, [(variant sku, inventory_item_id), ...]), ...];
        ``levels``: {inventory_item_id: [available at each location, ...]}."""
        self.token, self.page_size = token, page_size
        self.products = [
            {"id": pid, "title": f"Product {pid}",
             "variants": [{"id": item + 1000, "sku": sku, "inventory_item_id": item}
                          for sku, item in variants]}
            for pid, variants in products
        ]  # fmt: skip
        self.levels = levels or {}
        self.throttle = 0  # answer this many next requests with 429
        self.requests: list[str] = []
        fake = self

        class Admin(Handler):
            def do_GET(self):
                fake.requests.append(self.path)
                status, headers, body = fake.answer(self.path, self.headers)
                headers["Content-Type"] = "application/json"
                self.reply(status, json.dumps(body).encode(), headers)

        super().__init__(Admin)

    def answer(self, path: str, headers) -> tuple[int, dict, dict]:
        if headers.get("X-Shopify-Access-Token") != self.token:
            return 401, {}, {"errors": "[API] Invalid API key or access token"}
        if self.throttle:
            self.throttle -= 1
            return 429, {"Retry-After": "2.0"}, {"errors": "Exceeded 2 calls per second"}
        url = urlsplit(path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        if url.path == f"{API}/products.json":
            return self._page(url.path, query, "products", self.products)
        if url.path == f"{API}/inventory_levels.json":
            ids = [int(i) for i in query["inventory_item_ids"].split(",")]
            rows = [
                {"inventory_item_id": item, "location_id": 9000 + n, "available": available}
                for item in ids
                for n, available in enumerate(self.levels.get(item, []))
            ]
            return self._page(url.path, query, "inventory_levels", rows, ids=query)
        return 404, {}, {"errors": "Not Found"}

    def _page(self, path, query, key, rows, ids=None):
        start = int(query.get("page_info", "0").removeprefix("p") or 0)
        chunk = rows[start : start + self.page_size]
        headers = {}
        if start + self.page_size < len(rows):
            item_ids = f"inventory_item_ids={ids['inventory_item_ids']}&" if ids else ""
            headers["Link"] = (
                f"<{self.base_url}{path}?{item_ids}limit=250&page_info=p{start - self.page_size}>; "
                f'rel="previous", <{self.base_url}{path}?{item_ids}limit=250&page_info='
                f'p{start + self.page_size}>; rel="next"'
            )
        return 200, headers, {key: chunk}
