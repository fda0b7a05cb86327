"""Scenario c: Redis and PostgreSQL restarts under load."""

import http.client
import json
import random
import secrets
import threading
import time
from collections import Counter, defaultdict
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.db import close_old_connections, connections
from django.db.models import Sum
from django.test import Client
from django_scopes import scopes_disabled

from accounts.models import User
from bench.chaos_scenarios.observe import read_emails
from bench.chaos_scenarios.oracle import log
from bench.ports import wait_port
from catalog.models import SKU, Product, StockMovement
from orders.models import Order, OrderLine, ShippingTemplate, ShippingZone
from orders.models.shipping import US_STATES
from shops.models import Membership, Role, Shop


class Load:
    """Bounded HTTP load on loopback: checkouts and seller page views, every result timed."""

    def __init__(self, port: int, store: str, seller: str, cookie: str, sku_ids, hot_sku):
        self.port, self.store, self.seller, self.cookie = port, store, seller, cookie
        self.sku_ids, self.hot_sku = sku_ids, hot_sku
        self.results: list[tuple] = []  # (start, kind, status or error, end)
        self.acked: dict[str, str] = {}  # checkout key → order number (201/200)
        self.failed_keys: dict[str, dict] = {}  # checkout key → payload of a failed checkout
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.csrf = secrets.token_hex(16)  # 32 characters: an unmasked CSRF secret

    def _request(self, method, path, body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=15)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            resp = conn.getresponse()
            data = resp.read()
            return resp.status, data
        finally:
            conn.close()

    def checkout(self, rng, payload=None):
        if payload is None:
            skus = rng.sample(self.sku_ids, 2)
            if rng.random() < 0.25:
                skus[0] = self.hot_sku
            payload = {
                "items": [{"sku_id": s, "quantity": rng.randint(1, 2)} for s in set(skus)],
                "buyer": {
                    "name": "Chaos Buyer",
                    "email": f"buyer-{secrets.token_hex(6)}@chaos.test",
                    "phone": "+15551234567",
                    "line1": "1 Main St",
                    "city": "Los Angeles",
                    "state": "CA",
                    "postcode": "90001",
                },
                "checkout_key": secrets.token_hex(16),
            }
        headers = {
            "Content-Type": "application/json",
            "Cookie": f"csrftoken={self.csrf}",
            "X-CSRFToken": self.csrf,
        }
        status, data = self._request(
            "POST", f"/store/{self.store}/checkout/", json.dumps(payload), headers
        )
        if status in (200, 201):
            self.acked[payload["checkout_key"]] = json.loads(data)["order_number"]
        elif status != 409:  # 409 = sold out: a correct refusal, not an error
            self.failed_keys[payload["checkout_key"]] = payload
        return status

    def _loop(self, kind: str, seed: int):
        rng = random.Random(seed)
        pages = [f"/shops/{self.seller}/", f"/shops/{self.seller}/orders/"]
        while not self.stop.is_set():
            t = time.monotonic()
            try:
                if kind == "checkout":
                    status = self.checkout(rng)
                else:
                    status, _ = self._request(
                        "GET", rng.choice(pages), headers={"Cookie": self.cookie}
                    )
            except OSError as exc:
                status = type(exc).__name__
            with self.lock:
                self.results.append((t, kind, status, time.monotonic()))
            if not isinstance(status, int) or status >= 500:
                time.sleep(0.05)  # a client backs off a little on errors

    def run(self, threads: int):
        self.threads = [
            threading.Thread(
                target=self._loop, args=("checkout" if i % 2 == 0 else "page", i), daemon=True
            )
            for i in range(threads)
        ]
        for th in self.threads:
            th.start()

    def join(self):
        self.stop.set()
        for th in self.threads:
            th.join(timeout=30)


def _ok(kind: str, status) -> bool:
    return isinstance(status, int) and (
        status in (200, 201, 409) if kind == "checkout" else status == 200
    )


def _make_store() -> tuple[Shop, User, list[int], int, dict[int, int]]:
    with scopes_disabled():
        user = User.objects.create(email="seller@chaos.test", password=make_password(None))
        from allauth.account.models import EmailAddress

        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        shop = Shop.objects.create(
            name="Chaos store", slug="chaos-store", status=Shop.Status.ACTIVE, on_probation=False
        )
        Membership.objects.create(user=user, shop=shop, role=Role.OWNER)
        template = ShippingTemplate.objects.create(shop=shop, name="Standard", is_default=True)
        ShippingZone.objects.create(
            shop=shop, template=template, name="US", states=list(US_STATES),
            rate_type="flat", flat_rate=Decimal("5.00"),
        )  # fmt: skip
        stock = {}
        sku_ids = []
        for i in range(21):
            product = Product.objects.create(
                shop=shop, title=f"Chaos product {i}", description="A product.", status="live"
            )
            on_hand = 40 if i == 0 else 5000  # one hot SKU that sells out
            sku = SKU.objects.create(
                shop=shop, product=product, seller_sku=f"C-{i}", price=Decimal("10.00"),
                on_hand=on_hand,
            )  # fmt: skip
            stock[sku.pk] = on_hand
            sku_ids.append(sku.pk)
    return shop, user, sku_ids[1:], sku_ids[0], stock


def _integrity(shop: Shop, stock: dict[int, int], load: Load) -> dict:
    close_old_connections()
    with scopes_disabled():
        orders = {o.number: o for o in Order.objects.filter(shop=shop)}
        lines = defaultdict(list)
        for line in OrderLine.objects.filter(shop=shop):
            lines[line.order_id].append(line)
        moves = defaultdict(list)
        for m in StockMovement.objects.filter(shop=shop, reason=StockMovement.Reason.ORDER):
            moves[m.reference].append(m)
        half_written = []
        for number, order in orders.items():
            want = Counter({(ln.sku_id, ln.quantity) for ln in lines[order.pk]})
            got = Counter((m.sku_id, m.reserved_delta) for m in moves[number])
            if not lines[order.pk] or want != got:
                half_written.append(number)
        orphan_moves = [ref for ref in moves if ref not in orders]
        ledger = {
            row["sku_id"]: row
            for row in StockMovement.objects.filter(shop=shop)
            .values("sku_id")
            .annotate(on=Sum("on_hand_delta"), res=Sum("reserved_delta"))
        }
        ledger_off, oversold = [], []
        for sku in SKU.objects.filter(shop=shop):
            row = ledger.get(sku.pk, {"on": 0, "res": 0})
            if sku.on_hand != stock[sku.pk] + (row["on"] or 0) or sku.reserved != (row["res"] or 0):
                ledger_off.append(sku.pk)
            if sku.reserved > sku.on_hand:
                oversold.append(sku.pk)
        keys = set(Order.objects.filter(shop=shop).values_list("checkout_key", flat=True))
    lost_acked = [n for n in load.acked.values() if n not in orders]
    return {
        "orders": len(orders),
        "half_written_orders": len(half_written),
        "orphan_stock_movements": len(orphan_moves),
        "skus_ledger_mismatch": len(ledger_off),
        "skus_oversold": len(oversold),
        "acknowledged_orders_lost": len(lost_acked),
        "orders_without_acknowledged_key": len(keys - set(load.acked)),
    }


def _phase_stats(load: Load, t_down: float, t_up: float) -> dict:
    """A request belongs to the outage when it was in flight at any moment of [down, up]."""
    before = [r for r in load.results if r[3] < t_down]
    during = [r for r in load.results if r[3] >= t_down and r[0] <= t_up]
    after = [r for r in load.results if r[0] > t_up]
    errs_after = [r for r in after if not _ok(r[1], r[2])]
    first_ok_after = min((r[3] for r in after if _ok(r[1], r[2])), default=None)
    errors = [r for r in load.results if not _ok(r[1], r[2])]
    return {
        "requests": len(load.results),
        "errors_before": sum(not _ok(r[1], r[2]) for r in before),
        "errors_during": sum(not _ok(r[1], r[2]) for r in during),
        "ok_during": sum(_ok(r[1], r[2]) for r in during),
        "errors_after": len(errs_after),
        "error_window_s": round(max(r[3] for r in errors) - min(r[0] for r in errors), 2)
        if errors
        else 0,
        "last_error_after_up_s": round(max(r[3] for r in errs_after) - t_up, 2)
        if errs_after
        else 0,
        "first_success_after_up_s": round(first_ok_after - t_up, 2) if first_ok_after else None,
        "error_kinds": dict(Counter(str(r[2]) for r in errors).most_common(6)),
        "checkouts_ok": sum(1 for r in load.results if r[1] == "checkout" and r[2] in (200, 201)),
        "checkouts_sold_out": sum(1 for r in load.results if r[1] == "checkout" and r[2] == 409),
        "pages_ok": sum(1 for r in load.results if r[1] == "page" and r[2] == 200),
    }


def _confirmations(shop: Shop, mail: Path) -> dict:
    """Observation: order confirmation emails written vs orders (their Celery task is queued
    in Redis after commit)."""
    close_old_connections()
    written = Counter(to for to, *_ in read_emails(mail) if to.startswith("buyer-"))
    with scopes_disabled():
        buyers = list(Order.objects.filter(shop=shop).values_list("buyer_email", flat=True))
    return {
        "orders": len(buyers),
        "without_confirmation_email": sum(1 for b in buyers if not written[b]),
        "with_two_or_more": sum(1 for b in buyers if written[b] > 1),
    }


def outages(pg, redis, worker, env: dict, port: int, args) -> dict:
    import subprocess
    import sys

    shop, user, sku_ids, hot, stock = _make_store()
    client = Client()
    client.force_login(user)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    if worker.proc is None or worker.proc.poll() is not None:
        worker.start()
    connections.close_all()
    logf = open(Path(env["SELLERCENTER_VAR_DIR"]).parent / "gunicorn.log", "w")  # noqa: SIM115
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "gunicorn", "sellercenter.wsgi:application", "--bind",
         f"127.0.0.1:{port}", "--workers", "3", "--timeout", "30", "--log-level", "warning"],
        cwd=Path(__file__).resolve().parents[2], env=env, stdout=logf, stderr=subprocess.STDOUT,
    )  # fmt: skip
    results = {}
    acked_all: dict[str, str] = {}
    try:
        wait_port(port)
        for name, down, up in (
            ("redis", redis.kill, redis.start),
            ("postgresql", lambda: pg.stop("immediate"), pg.start),
        ):
            load = Load(port, shop.slug, shop.slug, cookie, sku_ids, hot)
            load.acked = acked_all  # orders acknowledged in every phase so far
            log(
                f"c. {name}: load for {args.load_seconds} s, then kill it for ~{args.outage_seconds} s"
            )
            load.run(args.load_threads)
            time.sleep(args.load_seconds)
            t_down = time.monotonic()
            down()
            time.sleep(args.outage_seconds)
            up()
            t_up = time.monotonic()
            log(f"c. {name} back after {t_up - t_down:.1f} s")
            time.sleep(args.load_seconds)
            load.join()
            stats = _phase_stats(load, t_down, t_up)
            # The worker should ride out the outage; if it exited, restart it as systemd or
            # Kubernetes would, and say so.
            stats["worker_exited"] = worker.proc.poll() is not None
            if stats["worker_exited"]:
                log(f"c. the Celery worker exited during the {name} outage: restarting it")
                worker.start()
            # A buyer who saw an error retries with the same checkout key: exactly one order.
            rng = random.Random(1)
            retried = Counter()
            for payload in list(load.failed_keys.values()):
                try:
                    retried[load.checkout(rng, payload)] += 1
                except OSError as exc:
                    retried[type(exc).__name__] += 1
            stats["failed_checkouts_retried"] = {str(k): v for k, v in retried.items()}
            stats["outage_s"] = round(t_up - t_down, 2)
            stats["integrity"] = _integrity(shop, stock, load)
            time.sleep(5)  # let the worker write the confirmation emails
            mail = Path(env["SELLERCENTER_VAR_DIR"]) / "mail"
            stats["confirmation_emails"] = _confirmations(shop, mail)
            # The outbox's beat job, as it runs 5 minutes later: every confirmation whose task
            # was lost with Redis is queued again, and each buyer gets exactly one.
            from django.utils import timezone

            from orders.services.notifications import order_confirmations_redeliver

            close_old_connections()
            stats["confirmations_requeued"] = order_confirmations_redeliver(
                now=timezone.now() + timedelta(minutes=6)
            )
            time.sleep(5)
            stats["confirmation_emails_after_redelivery"] = _confirmations(shop, mail)
            stats["checks"] = {
                "no error before the outage": stats["errors_before"] == 0,
                "recovered without a restart (no error 5 s after it is back)": stats[
                    "last_error_after_up_s"
                ]
                <= 5.0
                and load.results
                and _ok(*sorted(load.results)[-1][1:3]),
                "no half-written order": stats["integrity"]["half_written_orders"] == 0
                and stats["integrity"]["orphan_stock_movements"] == 0,
                "no lost stock movement (ledger = SKU stock)": stats["integrity"][
                    "skus_ledger_mismatch"
                ]
                == 0,
                "zero oversell": stats["integrity"]["skus_oversold"] == 0,
                "every acknowledged order kept": stats["integrity"]["acknowledged_orders_lost"]
                == 0,
                "every order confirmed exactly once after the outbox's redelivery": stats[
                    "confirmation_emails_after_redelivery"
                ]["without_confirmation_email"]
                == 0
                and stats["confirmation_emails_after_redelivery"]["with_two_or_more"] == 0,
            }
            results[name] = stats
            log(f"c. {name}: {json.dumps({k: v for k, v in stats.items() if k != 'checks'})}")
    finally:
        server.terminate()
        server.wait(timeout=30)
    return results
