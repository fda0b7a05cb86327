"""The scenarios of `make chaos` (bench/chaos.py sets up the private servers and Django first)."""

import http.client
import json
import random
import secrets
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from decimal import Decimal
from email.parser import HeaderParser
from pathlib import Path

import redis as redis_lib
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import close_old_connections, connections
from django.db.models import Count, Sum
from django.test import Client
from django_scopes import scopes_disabled

from accounts.models import User
from catalog.models import SKU, Product, StockMovement
from common.clock import local_date, platform_tz
from common.policy import POLICY
from lifecycle.models import InactivityEpisode, InactivityNotice, InactivityStage, SweepRun
from lifecycle.tasks import send_inactivity_notices_task, sweep_inactivity_task
from orders.models import Order, OrderLine, ShippingTemplate, ShippingZone
from orders.models.shipping import US_STATES
from shops.models import Membership, Role, Shop

S = InactivityStage


def log(msg: str) -> None:
    print(f"[chaos {datetime.now(UTC):%H:%M:%S}] {msg}", flush=True)


# --- an independent model of SPEC §9.2 (the oracle) -------------------------------------------


@dataclass
class ShopState:
    last: date  # platform day of the last activity
    deposit: bool
    episode: tuple[str, date] | None  # (stage, stage date) of the open episode
    banned: bool = False


def oracle_step(s: ShopState, day: date) -> str | None:
    """What one sweep on ``day`` does to this shop; returns the stage reached (a notice)."""
    if s.banned:
        return None
    inactive = (day - s.last).days
    if s.episode is None:
        if inactive >= POLICY.inactivity_first_reminder_days:
            s.episode = (S.FIRST_REMINDER, day)
            return S.FIRST_REMINDER
        return None
    stage, since = s.episode
    new = None
    if (
        stage == S.SECOND_REMINDER
        and (day - since).days >= POLICY.inactivity_ban_after_reminder_days
    ):
        new = S.BAN_WAIVED if s.deposit else S.BANNED
    elif stage == S.DELISTED and since < day and inactive >= POLICY.inactivity_second_reminder_days:
        new = S.SECOND_REMINDER
    elif (
        stage == S.FIRST_REMINDER
        and (day - since).days >= POLICY.inactivity_delist_after_reminder_days
    ):
        new = S.DELISTED
    if new is None:
        return None
    s.episode = (new, day)
    if new == S.BANNED:
        s.banned, s.episode = True, None
    return new


# --- seeding ----------------------------------------------------------------------------------

ORACLE: dict[int, ShopState] = {}
OWNER_EMAIL: dict[int, str] = {}
EXPECTED_NOTICES: Counter = Counter()  # shop id → notices expected so far


def _at(day: date) -> datetime:
    return datetime.combine(day, dtime(12), tzinfo=platform_tz())


def seed_sweep_shops(n: int, day0: date, rng: random.Random) -> Counter:
    """n shops: 40 % recently active, 25 % newly 60+ days inactive, the rest with an open
    episode in each stage at various ages (due or not yet due on day0)."""
    password = make_password(None)
    mix = Counter()
    with scopes_disabled():
        users = User.objects.bulk_create(
            [User(email=f"owner{i:05d}@chaos.test", password=password) for i in range(n)],
            batch_size=2000,
        )
        plans = []
        for _ in range(n):
            r = rng.random()
            deposit = rng.random() < 0.3
            if r < 0.40:
                kind, inactive, ep = "recent", rng.randint(0, 59), None
            elif r < 0.65:
                kind, inactive, ep = "60+ days, no episode", rng.randint(60, 120), None
            elif r < 0.75:
                k = rng.randint(1, 10)
                kind, inactive, ep = (
                    "first reminder sent",
                    60 + k + rng.randint(0, 20),
                    (S.FIRST_REMINDER, k),
                )
            elif r < 0.85:
                k = rng.randint(1, 12)
                kind, inactive, ep = "delisted", 67 + k + rng.randint(0, 25), (S.DELISTED, k)
            elif r < 0.95:
                k = rng.randint(1, 10)
                kind, inactive, ep = (
                    "second reminder sent",
                    90 + k + rng.randint(0, 10),
                    (S.SECOND_REMINDER, k),
                )
            else:
                kind, inactive, ep = "ban waived", 130, (S.BAN_WAIVED, 20)
            mix[kind] += 1
            plans.append((inactive, deposit, ep))
        shops = Shop.objects.bulk_create(
            [
                Shop(
                    name=f"Chaos shop {i:05d}",
                    slug=f"chaos-{i:05d}",
                    status=Shop.Status.ACTIVE,
                    on_probation=False,
                    store_deposit_paid=deposit,
                    last_activity_at=_at(day0 - timedelta(days=inactive)),
                )
                for i, (inactive, deposit, _ep) in enumerate(plans)
            ],
            batch_size=2000,
        )
        Membership.objects.bulk_create(
            [
                Membership(user=u, shop=s, role=Role.OWNER)
                for u, s in zip(users, shops, strict=True)
            ],
            batch_size=2000,
        )
        episodes = []
        for shop, user, (inactive, deposit, ep) in zip(shops, users, plans, strict=True):
            last = day0 - timedelta(days=inactive)
            state = ShopState(last=last, deposit=deposit, episode=None)
            if ep:
                stage, k = ep
                state.episode = (stage, day0 - timedelta(days=k))
                episodes.append(
                    InactivityEpisode(
                        shop=shop,
                        started_at=_at(last),
                        opened_on=last + timedelta(days=60),
                        stage=stage,
                        stage_date=day0 - timedelta(days=k),
                    )
                )
            ORACLE[shop.pk] = state
            OWNER_EMAIL[shop.pk] = user.email
        InactivityEpisode.objects.bulk_create(episodes, batch_size=2000)
    return mix


def oracle_day(day: date) -> Counter:
    reached = Counter()
    for shop_id, state in ORACLE.items():
        stage = oracle_step(state, day)
        if stage:
            reached[str(stage)] += 1
            EXPECTED_NOTICES[shop_id] += 1
    return reached


def stage_mismatches() -> list[str]:
    """Shops whose stage in the database differs from the oracle's."""
    close_old_connections()
    with scopes_disabled():
        open_eps = dict(
            InactivityEpisode.objects.filter(closed_at__isnull=True).values_list("shop_id", "stage")
        )
        dates = dict(
            InactivityEpisode.objects.filter(closed_at__isnull=True).values_list(
                "shop_id", "stage_date"
            )
        )
        banned = set(
            Shop.objects.filter(pk__in=ORACLE, status=Shop.Status.BANNED).values_list(
                "pk", flat=True
            )
        )
    bad = []
    for shop_id, s in ORACLE.items():
        want = (s.episode[0], s.episode[1]) if s.episode else None
        got = (open_eps[shop_id], dates[shop_id]) if shop_id in open_eps else None
        if want != got or s.banned != (shop_id in banned):
            bad.append(f"shop {shop_id}: expected {want} banned={s.banned}, got {got}")
    return bad


# --- emails -----------------------------------------------------------------------------------


def read_emails(folder: Path) -> Counter:
    """(recipient, subject, Message-ID) → how many times the file-based backend wrote it."""
    seen: Counter = Counter()
    if not folder.exists():
        return seen
    parser = HeaderParser()
    for path in folder.iterdir():
        for chunk in path.read_text(errors="replace").split("-" * 79):
            if "Subject:" not in chunk:
                continue
            headers = parser.parsestr(chunk.lstrip("\n"))
            subject = " ".join(str(headers.get("Subject", "")).split())
            seen[(headers.get("To", ""), subject, headers.get("Message-ID", ""))] += 1
    return seen


def email_check(folder: Path) -> dict:
    emails = read_emails(folder)
    owners = set(OWNER_EMAIL.values())
    copies = Counter({k: v for k, v in emails.items() if k[0] in owners})  # per message
    # One notice = one (recipient, subject); two *different* messages for it is an email sent
    # twice. The same message (same Message-ID) written again is a re-send after a worker was
    # killed between the mail server accepting it and the stamp: at least once.
    inactivity = Counter((to, subject) for to, subject, _mid in copies)
    per_owner = Counter(to for to, _subject in inactivity)
    with scopes_disabled():
        notices = InactivityNotice.objects.filter(shop_id__in=ORACLE).count()
        unsent = InactivityNotice.objects.filter(emailed_at__isnull=True).count()
    missing = sum(
        max(0, EXPECTED_NOTICES[sid] - per_owner[email]) for sid, email in OWNER_EMAIL.items()
    )
    return {
        "notices_expected": sum(EXPECTED_NOTICES.values()),
        "notices_in_db": notices,
        "notices_unsent_in_db": unsent,
        "emails_written": sum(copies.values()),
        "emails_distinct": len(inactivity),
        "emails_twice": sum(c - 1 for c in inactivity.values() if c > 1),
        "resent_same_message": sum(c - 1 for c in copies.values() if c > 1),
        "emails_missing": missing,
    }


def emailed_count() -> int:
    close_old_connections()
    with scopes_disabled():
        return InactivityNotice.objects.filter(emailed_at__isnull=False).count()


def queue_length() -> int:
    return redis_lib.Redis.from_url(settings.CELERY_BROKER_URL).llen("celery")


def wait_drained(timeout: float = 300, quiet: float = 4.0) -> None:
    """Until the broker queue is empty and no notice was emailed for ``quiet`` seconds."""
    deadline = time.monotonic() + timeout
    last, last_change = -1, time.monotonic()
    while time.monotonic() < deadline:
        now_count = emailed_count()
        if now_count != last:
            last, last_change = now_count, time.monotonic()
        if queue_length() == 0 and time.monotonic() - last_change >= quiet:
            return
        time.sleep(0.5)
    log("warning: the queue did not drain in time")


def wait_runs(day: date, n: int, timeout: float = 300) -> list[dict]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        close_old_connections()
        runs = list(
            SweepRun.objects.filter(run_date=day)
            .exclude(status=SweepRun.Status.RUNNING)
            .order_by("id")
            .values()
        )
        if len(runs) >= n:
            return runs
        time.sleep(0.2)
    raise RuntimeError(f"{n} sweep run(s) for {day} did not finish in {timeout} s")


# --- a. SIGKILL the worker during a sweep -------------------------------------------------------


def worker_kills(worker, mail_dir, n_shops: int) -> dict:
    rng = random.Random(2026)
    day0 = local_date() - timedelta(days=10)
    log(f"a. seeding {n_shops:,} shops for the sweep of {day0}")
    mix = seed_sweep_shops(n_shops, day0, rng)
    expected = oracle_day(day0)
    worker.start()
    started = time.monotonic()
    sweep_inactivity_task.delay(day0.isoformat())
    run = wait_runs(day0, 1)[0]
    queued = run["emails_queued"]
    log(f"a. sweep finished in {run['finished_at'] - run['started_at']}; {queued} emails queued")
    kills = []
    for pct in (10, 50, 90):
        target = queued * pct // 100
        # Progress stalls when every chunk left is held by a killed worker (redelivered only
        # after the broker's visibility timeout): kill anyway after 30 s without progress.
        last, last_change, stalled = -1, time.monotonic(), False
        while (count := emailed_count()) < target:
            if count != last:
                last, last_change = count, time.monotonic()
            elif time.monotonic() - last_change > 30:
                stalled = True
                break
            time.sleep(0.02)
        worker.sigkill()
        with scopes_disabled():
            claimed = InactivityNotice.objects.filter(
                emailed_at__isnull=True, email_claimed_at__isnull=False
            ).count()
        sent = emailed_count()
        kills.append(
            {
                "at_pct": pct,
                "emailed_when_killed": sent,
                "claimed_unsent": claimed,
                "stalled": stalled,
            }
        )
        log(f"a. SIGKILL worker at {pct}% ({sent}/{queued} emailed, {claimed} claimed in flight)")
        worker.start()
    wait_drained()
    after_restart = email_check(mail_dir())
    log(f"a. drained after the kills: {after_restart}")
    # Recovery, as in production: a claim older than EMAIL_CLAIM_STALE_AFTER is treated as dead
    # (simulated here by ageing the claims instead of waiting 30 minutes), and the next sweep
    # run queues every unsent notice again.
    from lifecycle.services.inactivity import EMAIL_CLAIM_STALE_AFTER

    with scopes_disabled():
        aged = InactivityNotice.objects.filter(
            emailed_at__isnull=True, email_claimed_at__isnull=False
        ).update(
            email_claimed_at=datetime.now(UTC) - EMAIL_CLAIM_STALE_AFTER - timedelta(minutes=1)
        )
    sweep_inactivity_task.delay(day0.isoformat())
    wait_runs(day0, 2)
    wait_drained()
    # The chunks the killed workers held are redelivered by Redis after the visibility
    # timeout (an hour): replay every chunk now — nothing may be sent again.
    with scopes_disabled():
        ids = list(InactivityNotice.objects.order_by("id").values_list("id", flat=True))
    for i in range(0, len(ids), 200):
        send_inactivity_notices_task.delay(ids[i : i + 200])
    wait_drained()
    final = email_check(mail_dir())
    bad = stage_mismatches()
    with scopes_disabled():
        got = Counter(
            dict(
                InactivityNotice.objects.filter(on_date=day0)
                .values_list("stage")
                .annotate(n=Count("id"))
            )
        )
    result = {
        "shops": n_shops,
        "run_date": day0.isoformat(),
        "seed_mix": dict(mix),
        "stages_expected": dict(expected),
        "stages_reached": dict(got),
        "emails_queued": queued,
        "kills": kills,
        "after_restarts": after_restart,
        "stale_claims_recovered": aged,
        "final": final,
        "stage_mismatches": len(bad),
        "stage_mismatch_examples": bad[:5],
        "seconds": round(time.monotonic() - started, 1),
    }
    result["checks"] = {
        "every shop in the right stage": not bad and dict(got) == dict(expected),
        "no email sent twice (re-sends of the same message only after a kill mid-send)": (
            final["emails_twice"] == 0
            and final["resent_same_message"] <= sum(k["claimed_unsent"] for k in kills)
        ),
        "no email missing": final["emails_missing"] == 0 and final["notices_unsent_in_db"] == 0,
    }
    return result


# --- b. two beats, three days -------------------------------------------------------------------


def two_beats(worker) -> dict:
    if not ORACLE:
        seed_sweep_shops(2000, local_date() - timedelta(days=10), random.Random(7))
    if worker.proc is None or worker.proc.poll() is not None:
        worker.start()
    base = local_date() - timedelta(days=10)
    days = []
    for offset in (1, 2, 3):
        day = base + timedelta(days=offset)
        expected = oracle_day(day)
        # Two beat processes fire at the same instant: two messages for the same day.
        sweep_inactivity_task.apply_async(args=[day.isoformat()])
        sweep_inactivity_task.apply_async(args=[day.isoformat()])
        runs = wait_runs(day, 2)
        wait_drained()
        with scopes_disabled():
            got = Counter(
                dict(
                    InactivityNotice.objects.filter(on_date=day)
                    .values_list("stage")
                    .annotate(n=Count("id"))
                )
            )
        working = [
            r for r in runs
            if r["status"] == SweepRun.Status.FINISHED
            and any(r[f] for f in SweepRun.COUNT_FIELDS.values())
        ]  # fmt: skip
        days.append(
            {
                "day": day.isoformat(),
                "runs": [r["status"] for r in runs],
                "runs_that_did_work": len(working),
                "stages_expected": dict(expected),
                "stages_reached": dict(got),
                "ok": len(working) == 1 and dict(got) == dict(expected),
            }
        )
        log(f"b. {day}: runs {[r['status'] for r in runs]}, notices {dict(got)}")
    emails = email_check(Path(settings.VAR_DIR) / "mail")
    bad = stage_mismatches()
    return {
        "days": days,
        "emails": emails,
        "stage_mismatches": len(bad),
        "checks": {
            "each day swept once": all(d["ok"] for d in days),
            "every shop in the right stage": not bad,
            "no email twice or missing": emails["emails_twice"] == 0
            and emails["emails_missing"] == 0,
        },
    }


# --- c. Redis and PostgreSQL restarts under load --------------------------------------------------


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
        cwd=Path(__file__).resolve().parent.parent, env=env, stdout=logf, stderr=subprocess.STDOUT,
    )  # fmt: skip
    results = {}
    acked_all: dict[str, str] = {}
    try:
        from bench.chaos import _wait_port

        _wait_port(port)
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


# --- report -----------------------------------------------------------------------------------


def write_report(report: dict, out: Path) -> bool:
    sc = report["scenarios"]
    lines = [
        f"# Chaos {report['measured_at']}",
        "",
        f"Machine: {report['machine']} (shared with other engineers' work: timings are loose). "
        "Private PostgreSQL and Redis on loopback, started and stopped by the run.",
        "",
    ]
    all_ok = True

    def checks(d: dict) -> None:
        nonlocal all_ok
        for label, ok in d.items():
            all_ok &= bool(ok)
            lines.append(f"- {'PASS' if ok else '**FAIL**'} — {label}")

    if "worker_kills" in sc:
        a = sc["worker_kills"]
        lines += [
            f"## a. Worker SIGKILLed during an inactivity sweep over {a['shops']:,} shops",
            "",
            f"Sweep of {a['run_date']}; seeded mix: "
            + ", ".join(f"{k} {v:,}" for k, v in a["seed_mix"].items())
            + f". Stages expected {a['stages_expected']}, reached {a['stages_reached']}; "
            f"{a['emails_queued']:,} emails queued.",
            "",
            "| kill at | emailed when killed | claimed, not yet stamped |",
            "| ---: | ---: | ---: |",
            *[
                f"| {k['at_pct']}% | {k['emailed_when_killed']:,} | {k['claimed_unsent']} |"
                for k in a["kills"]
            ],
            "",
            f"After the restarts drained: {a['after_restarts']}. Claims left by the killed "
            f"workers, aged past EMAIL_CLAIM_STALE_AFTER (simulated 30 minutes): "
            f"{a['stale_claims_recovered']}; then the next sweep run re-queued the unsent, and "
            f"every chunk was replayed once more (the broker's redelivery). Final: {a['final']}. "
            f"Took {a['seconds']} s.",
            "",
        ]
        checks(a["checks"])
        lines.append("")
    if "two_beats" in sc:
        b = sc["two_beats"]
        lines += [
            "## b. Two beats for three simulated days",
            "",
            "| day | runs | runs that did work | expected | reached |",
            "| --- | --- | ---: | --- | --- |",
            *[
                f"| {d['day']} | {', '.join(d['runs'])} | {d['runs_that_did_work']} | "
                f"{d['stages_expected']} | {d['stages_reached']} |"
                for d in b["days"]
            ],
            "",
            f"Emails: {b['emails']}.",
            "",
        ]
        checks(b["checks"])
        lines.append("")
    if "outages" in sc:
        lines += ["## c. Restarts under load (checkouts + seller pages, gunicorn)", ""]
        lines += [
            "| server | outage s | errors seen over | requests | errors before / during / after | first success after up | error kinds | checkouts ok / sold out | pages ok |",
            "| --- | ---: | ---: | ---: | --- | ---: | --- | ---: | ---: |",
        ]
        for name, c in sc["outages"].items():
            lines.append(
                f"| {name} | {c['outage_s']} | {c['error_window_s']} s | {c['requests']} | "
                f"{c['errors_before']} / {c['errors_during']} / {c['errors_after']} | "
                f"{c['first_success_after_up_s']} s | {c['error_kinds']} | {c['checkouts_ok']} / "
                f"{c['checkouts_sold_out']} | {c['pages_ok']} |"
            )
        for name, c in sc["outages"].items():
            lines += [
                "",
                f"**{name}** — integrity: {c['integrity']}; failed checkouts retried with their "
                f"key: {c['failed_checkouts_retried']}; order confirmation emails right after "
                f"the outage: {c['confirmation_emails']}, then the outbox's redelivery queued "
                f"{c['confirmations_requeued']} and gave "
                f"{c['confirmation_emails_after_redelivery']}; Celery worker "
                + (
                    "**exited** during the outage (restarted by the run, as a supervisor would)"
                    if c["worker_exited"]
                    else "rode out the outage"
                )
                + ".",
                "",
            ]
            checks(c["checks"])
        lines.append("")
    for name, error in report.get("errors", {}).items():
        all_ok = False
        lines += [f"**FAIL** — scenario {name} crashed: `{error}`", ""]
    lines.append(f"Overall: {'PASS' if all_ok else '**FAIL**'}")
    text = "\n".join(lines) + "\n"
    out.mkdir(parents=True, exist_ok=True)
    stamp = report["measured_at"].replace(":", "").replace("-", "")
    report["ok"] = all_ok
    (out / f"chaos-{stamp}.md").write_text(text)
    (out / f"chaos-{stamp}.json").write_text(json.dumps(report, indent=2, default=str))
    (out / "chaos-latest.md").write_text(text)
    print("\n" + text, flush=True)
    return all_ok
