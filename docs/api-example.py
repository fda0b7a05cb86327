"""Seller Center Open Platform, end to end with `requests` only (docs/api.md).

Lists products, adjusts one SKU's stock, subscribes a local endpoint to order.status_changed,
ships the oldest order still to ship with a carrier and tracking number, and verifies the
signed webhook that arrives with the standardwebhooks library.

    python docs/api-example.py --base-url http://127.0.0.1:8000 --token scp_...

The webhook receiver listens on 127.0.0.1; the server must allow loopback targets
(WEBHOOKS_ALLOW_LOOPBACK=1, the test profile's default).
"""

import argparse
import queue
import sys
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests
from standardwebhooks.webhooks import Webhook


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--wait", type=float, default=15.0, help="seconds to wait for the webhook")
    args = parser.parse_args(argv)
    api = requests.Session()
    api.headers["Authorization"] = f"Bearer {args.token}"
    base = args.base_url.rstrip("/") + "/api/v1"

    products = api.get(f"{base}/products", timeout=10)
    products.raise_for_status()
    items = products.json()["items"]
    print(f"{len(items)} products; first: {items[0]['title']!r}")

    sku = items[0]["skus"][0]
    adjusted = api.post(
        f"{base}/skus/{sku['id']}/stock/adjustments",
        json={"delta": 5, "reason": "example restock"},
        headers={"Idempotency-Key": str(uuid.uuid4())},
        timeout=10,
    )
    adjusted.raise_for_status()
    print(f"{sku['seller_sku']}: on hand {sku['on_hand']} → {adjusted.json()['on_hand']}")

    arrived: queue.Queue = queue.Queue()

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("content-length") or 0))
            arrived.put(({k.lower(): v for k, v in self.headers.items()}, body))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *a):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/hooks"
        subscribed = api.post(
            f"{base}/webhooks", json={"url": url, "events": ["order.status_changed"]}, timeout=10
        )
        subscribed.raise_for_status()
        secret = subscribed.json()["secret"]

        to_ship = api.get(f"{base}/orders", params={"status": "to_ship"}, timeout=10).json()
        order = to_ship["items"][-1]
        shipped = api.post(
            f"{base}/orders/{order['id']}/packages",
            json={
                "carrier": "ups",
                "service": "UPS Ground",
                "tracking_number": "1Z999AA10123456784",
            },
            headers={"Idempotency-Key": str(uuid.uuid4())},
            timeout=30,
        )
        shipped.raise_for_status()
        print(f"order {order['number']}: {shipped.json()['status']}")

        headers, body = arrived.get(timeout=args.wait)
        event = Webhook(secret).verify(body, headers)  # raises if the signature is wrong
        print(
            f"verified webhook {headers['webhook-id']}: {event['type']} → {event['data']['to_status']}"
        )
    finally:
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
