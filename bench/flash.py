"""The flash-sale measurements of `make bench`, driven by one client for every figure:

* **reference**: ``bench.checkout_reference`` (conditional stock UPDATE + order row + line row,
  one transaction) at concurrency 16 on varied SKUs;
* **checkout**: the storefront's JSON checkout, the same load — the two in paired rounds, back
  to back, alternating which goes first; checkout ÷ reference is the median of the rounds' own
  ratios, with its range;
* **flash sale**: one SKU pinned to a LIVE session with an allocation, 64 concurrent buyers
  (each a different email) until it sells out and a few seconds after: orders/s until the
  sell-out, p95 of the orders, p95 of the "sold out" answers, and the invariants (no 5xx, the
  allocation sold exactly, the SKU not oversold).

The client is threads over ``http.client`` (one connection per request, as gunicorn's sync
workers close them), recording each request's start, end and status.
"""

import http.client
import json
import statistics
import threading
import time
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlparse

from django.db import connection
from django.db.models import F, Sum
from django.utils import timezone
from django_scopes import scopes_disabled

from bench.compare import paired_ratios
from catalog.models import SKU, Product
from orders.marketing.live_models import LivePin, LiveSale, LiveSession
from shops.models import Shop

CSRF = "benchcsrf" + "0" * 23  # a 32-character unmasked token, sent as cookie and header
BUYER = {
    "name": "Bench Buyer", "phone": "+15551234567", "line1": "1 Main St",
    "city": "Los Angeles", "state": "CA", "postcode": "90001",
}  # fmt: skip


@dataclass(frozen=True)
class Hit:
    start: float
    end: float
    status: int

    @property
    def ms(self) -> float:
        return (self.end - self.start) * 1000


def drive(url: str, body, *, concurrency: int, duration: float, stop=None) -> list[Hit]:
    """POST ``body(n)`` (n counts requests) with ``concurrency`` threads for ``duration``
    seconds, or until ``stop(hits)`` says so (checked by each thread after each request)."""
    target = urlparse(url)
    hits: list[Hit] = []
    lock = threading.Lock()
    counter = iter(range(10**9))
    deadline = time.perf_counter() + duration
    done = threading.Event()

    def worker():
        while not done.is_set() and time.perf_counter() < deadline:
            with lock:
                n = next(counter)
            payload = json.dumps(body(n))
            started = time.perf_counter()
            try:
                conn = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
                conn.request("POST", target.path, payload, {
                    "Content-Type": "application/json", "X-CSRFToken": CSRF,
                    "Cookie": f"csrftoken={CSRF}",
                })  # fmt: skip
                status = conn.getresponse().status
                conn.close()
            except OSError:
                status = 599  # refused or dropped: counted with the 5xx
            hit = Hit(started, time.perf_counter(), status)
            with lock:
                hits.append(hit)
                if stop is not None and stop(hits):
                    done.set()

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return hits


def p95(values: list[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))], 1)


def steady(app: str, path: str, skus: list[int], *, concurrency: int, duration: float) -> dict:
    """Orders/s and p95 on varied SKUs (one unit each, every buyer different)."""
    started = time.perf_counter()
    hits = drive(
        app + path,
        lambda n: {
            "items": [{"sku_id": skus[n % len(skus)], "quantity": 1}],
            "buyer": {**BUYER, "email": f"steady{n}@bench.test"},
            "checkout_key": f"steady-{started:.0f}-{n:06d}",
        },
        concurrency=concurrency,
        duration=duration,
    )
    elapsed = max(h.end for h in hits) - min(h.start for h in hits)
    ok = [h for h in hits if h.status == 201]
    return {
        "concurrency": concurrency,
        "orders": len(ok),
        "orders_per_s": round(len(ok) / elapsed, 1),
        "p95_ms": p95([h.ms for h in ok]),
        "errors_5xx": sum(h.status >= 500 for h in hits),
    }


def flash_sale(app: str, store: str, *, allocation: int, concurrency: int, after_s: float) -> dict:
    """A pinned SKU sells out under ``concurrency`` buyers; runs ``after_s`` past the sell-out."""
    sku, pin = _pinned_sku(store, allocation)
    path = f"/store/{store}/checkout/"
    sold_out_at: list[float] = []

    def stop(hits: list[Hit]) -> bool:
        if not sold_out_at and sum(h.status == 201 for h in hits) >= allocation:
            sold_out_at.append(hits[-1].end)
        return bool(sold_out_at) and hits[-1].end > sold_out_at[0] + after_s

    hits = drive(
        app + path,
        lambda n: {
            "items": [{"sku_id": sku.pk, "quantity": 1}],
            "buyer": {**BUYER, "email": f"fan{n}@bench.test"},
            "checkout_key": f"flash-{pin.pk}-{n:06d}",  # 8 to 64 characters
        },
        concurrency=concurrency,
        duration=120,
        stop=stop,
    )
    start = min(h.start for h in hits)
    ok = [h for h in hits if h.status == 201]
    last_order = max(h.end for h in ok) if ok else start
    after = [h for h in hits if h.status == 409 and h.start >= last_order]
    with scopes_disabled():
        pin.refresh_from_db()
        sku.refresh_from_db()
        sold = LiveSale.objects.filter(pin=pin).aggregate(n=Sum("quantity"))["n"] or 0
    return {
        "concurrency": concurrency,
        "allocation": allocation,
        "orders": len(ok),
        "orders_per_s": round(len(ok) / (last_order - start), 1) if ok else 0,
        "order_p95_ms": p95([h.ms for h in ok]),
        "sold_out_answers": len(after),
        "sold_out_p95_ms": p95([h.ms for h in after]),
        "errors_5xx": sum(h.status >= 500 for h in hits),
        "pin_sold": pin.sold,
        "live_sales": sold,
        "sku_reserved": sku.reserved,
        "sku_on_hand": sku.on_hand,
        "exact": len(ok) == pin.sold == sold == allocation and sku.reserved <= sku.on_hand,
    }


def _pinned_sku(store: str, allocation: int) -> tuple[SKU, LivePin]:
    """A fresh product on a fresh live session (the bench shop's), pinned with ``allocation``."""
    with scopes_disabled():
        shop = Shop.objects.get(slug=store)
        product = Product.objects.create(shop=shop, title="Flash item", status="live")
        sku = SKU.objects.create(
            shop=shop, product=product, seller_sku=f"FLASH-{product.pk}", price=Decimal("30.00"),
            on_hand=allocation * 10,
        )  # fmt: skip
        LiveSession.objects.filter(shop=shop, status__in=LiveSession.OPEN).update(
            status=LiveSession.Status.ENDED, ended_at=timezone.now()
        )
        session = LiveSession.objects.create(
            shop=shop, title="Bench flash sale", starts_at=timezone.now(), status="live",
            started_at=timezone.now(),
        )  # fmt: skip
        pin = LivePin.objects.create(
            shop=shop, session=session, product=product, live_price=Decimal("19.99"),
            allocation=allocation, per_buyer_limit=1,
        )  # fmt: skip
        assert not SKU.objects.filter(pk=sku.pk, reserved__gt=F("on_hand")).exists()
    return sku, pin


def run(app: str, store: str, skus: list[int], *, duration: float, rounds: int = 5, out) -> dict:
    """Reference and storefront checkout in ``rounds`` pairs, measured back to back for
    ``duration`` seconds each (alternating which goes first), then the flash sale once."""
    paths = {
        "reference": f"/_bench/store/{store}/checkout/",
        "checkout": f"/store/{store}/checkout/",
    }
    measured = []
    for n in range(rounds):
        order = ("reference", "checkout") if n % 2 == 0 else ("checkout", "reference")
        pair = {"first": order[0]}
        for side in order:
            _settle()
            pair[side] = steady(app, paths[side], skus, concurrency=16, duration=duration)
        measured.append(pair)
        out(
            f"  round {n + 1} ({order[0]} first) c=16 varied SKUs: reference "
            f"{pair['reference']['orders_per_s']}, checkout {pair['checkout']['orders_per_s']} "
            "orders/s"
        )
    figures = paired(measured)
    flash = flash_sale(app, store, allocation=500, concurrency=64, after_s=3)
    out(
        f"  flash sale c=64: {flash['orders_per_s']} orders/s until sell-out, p95 "
        f"{flash['order_p95_ms']} ms; sold-out p95 {flash['sold_out_p95_ms']} ms; "
        f"5xx {flash['errors_5xx']}; exact {flash['exact']}"
    )
    ref = figures["reference"]["orders_per_s"] or None
    return {
        **figures,
        "round_s": duration,
        "flash": flash,
        "flash_vs_reference": round(flash["orders_per_s"] / ref, 3) if ref else None,
    }


def _settle() -> None:
    """Start each side on the same table state: both sides update the same 100 SKU rows
    thousands of times a round, and whether the other side's dead row versions are still there
    should not depend on when autovacuum last woke."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE) catalog_sku")


def paired(rounds: list[dict]) -> dict:
    """Each side's median orders/s and p95 over the rounds, and checkout ÷ reference as the
    median of the rounds' own ratios with its range: a round's two sides ran back to back, so
    their ratio cancels the drift of a shared machine (as in ``bench/compare.py``)."""
    reference = [r["reference"] for r in rounds]
    checkout = [r["checkout"] for r in rounds]
    ratios = [
        round(ratio, 3)
        for ratio in paired_ratios(reference, checkout, key="orders_per_s", higher=True)
    ]
    return {
        "rounds": [
            {**r, "checkout_vs_reference": ratio} for r, ratio in zip(rounds, ratios, strict=True)
        ],
        "reference": _median_side(reference),
        "checkout": _median_side(checkout),
        "checkout_vs_reference": round(statistics.median(ratios), 3),
        "checkout_vs_reference_range": [min(ratios), max(ratios)],
    }


def _median_side(runs: list[dict]) -> dict:
    """One side over the rounds: median orders/s and p95; orders and 5xx summed."""
    p95s = [r["p95_ms"] for r in runs if r["p95_ms"] is not None]
    return {
        "concurrency": runs[0]["concurrency"],
        "orders": sum(r["orders"] for r in runs),
        "orders_per_s": round(statistics.median(r["orders_per_s"] for r in runs), 1),
        "p95_ms": round(statistics.median(p95s), 1) if p95s else None,
        "errors_5xx": sum(r["errors_5xx"] for r in runs),
    }
