"""Back-end measurements of `make bench`: the inactivity sweep against one SQL UPDATE,
the 10,000-row CSV import, a full data export of the big shop and storefront checkout
throughput. Called by the ``bench`` command; everything runs on the bench database.

The sweep data set (``--sweep-shops``, 1,000,000 by default) is loaded once with COPY and
reused. It is a steady state as if the sweep had run every day until yesterday: 70 % of the
shops were active in the last 59 days, 30 % have been inactive 60–150 days and carry the
episode the daily sweeps gave them (first reminder, delisted, second reminder, ban waived, or
banned and closed), so about 1/90 of the inactive shops are due for each stage on the swept day.
The sweep and the reference UPDATE both run inside a transaction that is rolled back (the
sweep's own dry run), so the data set stays reusable and every run measures the same work.
"""

import io
import random
import re
import subprocess
import time
from datetime import date, datetime, timedelta
from datetime import time as dtime
from decimal import Decimal
from unittest import mock

from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import F, Sum
from django_scopes import scopes_disabled

from bench.pgcopy import copy_instances, next_ids
from catalog.models import SKU, Product, StockMovement
from common.clock import local_date, platform_tz
from lifecycle.models import InactivityEpisode, InactivityStage
from lifecycle.services.inactivity.sweep import sweep_inactivity
from orders.models import Order, OrderLine, ShippingTemplate, ShippingZone
from orders.models.shipping import US_STATES
from shops.models import Shop

S = InactivityStage
SWEEP_ANCHOR = "sweep-anchor"  # its created_at is the day the sweep data set is shaped for
STORE = "bench-store"


def _at(day: date) -> datetime:
    return datetime.combine(day, dtime(12), tzinfo=platform_tz())


# --- the sweep --------------------------------------------------------------------------------


def seed_sweep_shops(n: int, out) -> date:
    """Load ``n`` sweep shops (reused when there); returns the day to sweep."""
    with scopes_disabled():
        anchor = Shop.objects.filter(slug=SWEEP_ANCHOR).first()
        if anchor:
            have = Shop.objects.filter(slug__startswith="sweep-").count() - 1
            out(f"Sweep data set already there ({have:,} shops): reusing it.")
            return local_date(anchor.created_at)
        started = time.monotonic()
        rng = random.Random(9)
        day = local_date() - timedelta(days=1)
        shop_ids = next_ids(Shop, n + 1)
        shops, episodes = [], []
        for i, sid in enumerate(shop_ids):
            status, deposit = "active", rng.random() < 0.2
            if i == 0 or rng.random() < 0.7:
                inactive, state = rng.randint(0, 59), None
            else:
                inactive = rng.randint(60, 150)
                state = _steady_state(day, inactive, deposit)
            last = day - timedelta(days=inactive)
            if state and state[0] == S.BANNED:
                status = "banned"
            shops.append(
                Shop(
                    id=sid,
                    slug=SWEEP_ANCHOR if i == 0 else f"sweep-{i:07d}",
                    name=f"Sweep shop {i}",
                    status=status,
                    on_probation=False,
                    in_investigation=bool(state and state[0] != S.FIRST_REMINDER),
                    store_deposit_paid=deposit,
                    created_at=_at(day) if i == 0 else _at(last - timedelta(days=30)),
                    last_activity_at=_at(last),
                )
            )
            if state:
                stage, since, opened = state
                episodes.append(
                    InactivityEpisode(
                        shop_id=sid,
                        started_at=_at(last),
                        opened_on=opened,
                        stage=stage,
                        stage_date=since,
                        closed_at=_at(since) if stage == S.BANNED else None,
                        closed_reason="banned" if stage == S.BANNED else "",
                    )
                )
        with transaction.atomic():
            copy_instances(Shop, shops)
            for episode, eid in zip(
                episodes, next_ids(InactivityEpisode, len(episodes)), strict=True
            ):
                episode.id = eid
            copy_instances(InactivityEpisode, episodes)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE shops_shop; ANALYZE lifecycle_inactivityepisode;")
        out(f"Loaded {n:,} sweep shops in {time.monotonic() - started:.0f} s.")
        return day


def _steady_state(day: date, inactive: int, deposit: bool):
    """The episode a shop inactive ``inactive`` days on ``day`` has after daily sweeps until
    the day before: (stage, stage date, opened on), or None when its first reminder is due."""
    crossed = day - timedelta(days=inactive - 60)  # the day it reached 60 days
    delist = crossed + timedelta(days=7)
    second = max(delist + timedelta(days=1), day - timedelta(days=inactive - 90))
    ban = second + timedelta(days=7)
    stages = [
        (S.FIRST_REMINDER, crossed),
        (S.DELISTED, delist),
        (S.SECOND_REMINDER, second),
        (S.BAN_WAIVED if deposit else S.BANNED, ban),
    ]
    # The stage dates only grow, so the sweeps before ``day`` left it at the last one passed.
    passed = [(stage, on) for stage, on in stages if on < day]
    return (*passed[-1], crossed) if passed else None


def bench_sweep(n: int, out) -> dict:
    day = seed_sweep_shops(n, out)
    with scopes_disabled():
        shops = Shop.objects.count()
        open_episodes = InactivityEpisode.objects.filter(closed_at__isnull=True).count()
    boundary = datetime.combine(day - timedelta(days=59), dtime.min, tzinfo=platform_tz())
    sweep_s, ref_s, counts, rows = [], [], {}, 0
    for _ in range(2):  # the second pass runs on a warm cache; the best of each is kept
        started = time.perf_counter()
        result = sweep_inactivity(run_date=day, dry_run=True)
        sweep_s.append(time.perf_counter() - started)
        counts = result.counts
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "UPDATE shops_shop SET last_activity_at = last_activity_at "
                "WHERE status = 'active' AND last_activity_at < %s",
                [boundary],
            )
            rows = cursor.rowcount
            transaction.set_rollback(True)
        ref_s.append(time.perf_counter() - started)
    row = {
        "day": day.isoformat(),
        "shops_in_table": shops,
        "open_episodes": open_episodes,
        "sweep_s": round(min(sweep_s), 3),
        "reference_update_s": round(min(ref_s), 3),
        "reference_rows": rows,
        "ratio": round(min(sweep_s) / min(ref_s), 2) if min(ref_s) else None,
        "counts": counts,
    }
    out(f"  sweep {row['sweep_s']} s vs one UPDATE {row['reference_update_s']} s: {row['ratio']}x")
    return row


# --- CSV import and data export ---------------------------------------------------------------


def bench_import(rows: int, out) -> dict:
    buf = io.StringIO()
    call_command("bench_catalog", "--import-rows", str(rows), "--list-products", "0", stdout=buf)
    text = buf.getvalue()
    first = re.search(r"import: ([\d,]+) rows in ([\d.]+) s", text)
    again = re.search(r"re-import .*?in ([\d.]+) s", text)
    errors = re.search(r"errors (\d+)", text)
    row = {
        "rows": rows,
        "create_s": float(first.group(2)) if first else None,
        "update_s": float(again.group(1)) if again else None,
        "errors": int(errors.group(1)) if errors else None,
    }
    out(f"  CSV import {rows:,} rows: {row['create_s']} s (re-import {row['update_s']} s)")
    return row


def bench_export(slug: str, out) -> dict:
    from lifecycle.services.export import export_build, export_files_delete, export_request

    with scopes_disabled():
        shop = Shop.objects.get(slug=slug)
        with mock.patch("lifecycle.tasks.build_export_task.delay"):
            export = export_request(shop=shop, actor=None)
        started = time.perf_counter()
        export_build(export_id=export.pk)
        elapsed = time.perf_counter() - started
        export.refresh_from_db()
        row = {
            "shop": slug,
            "products": Product.objects.filter(shop=shop).count(),
            "orders": Order.objects.filter(shop=shop).count(),
            "seconds": round(elapsed, 1),
            "zip_mb": round(export.size_bytes / 2**20, 1),
            "status": export.status,
        }
        export_files_delete(shop_id=shop.pk)
    out(f"  data export of {slug}: {row['seconds']} s, {row['zip_mb']} MB zip")
    return row


# --- checkout throughput ----------------------------------------------------------------------

CHECKOUT_LUA = """
local n = 0
local skus = {%(skus)s}
local hot = %(hot)d
function setup(thread) n = n + 1; thread:set("tid", n) end
function init(args) prefix = string.format("b%%d-%%d-%%d", os.time(), tid, math.random(1e6)); seq = 0 end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Cookie"] = "csrftoken=%(csrf)s"
wrk.headers["X-CSRFToken"] = "%(csrf)s"
request = function()
  seq = seq + 1
  local sku = skus[math.random(#skus)]
  if math.random(10) == 1 then sku = hot end
  local body = '{"items":[{"sku_id":' .. sku .. ',"quantity":1}],' ..
    '"buyer":{"name":"Bench Buyer","email":"buyer@bench.test","phone":"+15551234567",' ..
    '"line1":"1 Main St","city":"Los Angeles","state":"CA","postcode":"90001"},' ..
    '"checkout_key":"' .. prefix .. '-' .. seq .. '"}'
  return wrk.format(nil, nil, nil, body)
end
"""


def _store() -> tuple[Shop, list[int]]:
    with scopes_disabled():
        shop = Shop.objects.filter(slug=STORE).first()
        if shop is None:
            shop = Shop.objects.create(
                name="Bench store", slug=STORE, status=Shop.Status.ACTIVE, on_probation=False
            )
            template = ShippingTemplate.objects.create(shop=shop, name="Standard", is_default=True)
            ShippingZone.objects.create(
                shop=shop, template=template, name="US", states=list(US_STATES),
                rate_type="flat", flat_rate=Decimal("4.00"),
            )  # fmt: skip
            for i in range(100):
                product = Product.objects.create(shop=shop, title=f"Store item {i}", status="live")
                SKU.objects.create(
                    shop=shop, product=product, seller_sku=f"S-{i}", price=Decimal("12.00"),
                    on_hand=10_000_000,
                )  # fmt: skip
        skus = list(
            SKU.objects.filter(shop=shop, seller_sku__startswith="S-").values_list("pk", flat=True)
        )
    return shop, skus


def bench_checkout(app: str, duration: int, concurrency: int, root, out) -> dict:
    """Orders/s through the storefront checkout endpoint at fixed concurrency; a hot SKU with
    200 units in 10 % of the carts sells out under the load, and nothing may be oversold."""
    shop, skus = _store()
    with scopes_disabled():
        product = Product.objects.create(shop=shop, title="Hot item", status="live")
        hot = SKU.objects.create(
            shop=shop, product=product, seller_sku=f"HOT-{product.pk}", price=Decimal("9.00"),
            on_hand=200,
        )  # fmt: skip
        before = Order.objects.filter(shop=shop).count()
    csrf = "benchcsrf" + "0" * 23  # a 32-character unmasked token, sent as cookie and header
    script = root / "var" / "bench-checkout.lua"
    script.parent.mkdir(exist_ok=True)
    script.write_text(
        CHECKOUT_LUA % {"skus": ",".join(map(str, skus)), "hot": hot.pk, "csrf": csrf}
    )
    started = time.perf_counter()
    subprocess.run(  # noqa: S603
        ["wrk", "-t2", f"-c{concurrency}", f"-d{duration}s", "-s", str(script),  # noqa: S607
         f"{app}/store/{STORE}/checkout/"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    elapsed = time.perf_counter() - started
    with scopes_disabled(), transaction.atomic():
        # One snapshot for every figure: a request still in flight when wrk stops may commit
        # between two reads and make a consistent ledger look inconsistent (seen once).
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        placed = Order.objects.filter(shop=shop).count() - before
        hot.refresh_from_db()
        oversold = SKU.objects.filter(shop=shop, reserved__gt=F("on_hand")).count()
        hot_lines = (
            OrderLine.objects.filter(shop=shop, sku=hot).aggregate(q=Sum("quantity"))["q"] or 0
        )
        hot_moves = (
            StockMovement.objects.filter(shop=shop, sku=hot).aggregate(q=Sum("reserved_delta"))["q"]
            or 0
        )
    row = {
        "concurrency": concurrency,
        "seconds": round(elapsed, 1),
        "orders": placed,
        "orders_per_s": round(placed / elapsed, 1),
        "hot_sku_on_hand": hot.on_hand,
        "hot_sku_reserved": hot.reserved,
        "hot_sku_ordered": hot_lines,
        "skus_oversold": oversold,
        "zero_oversell": oversold == 0
        and hot.reserved <= hot.on_hand
        and hot_lines == hot.reserved == hot_moves,
    }
    out(
        f"  checkout: {row['orders_per_s']} orders/s; hot SKU {hot.reserved}/{hot.on_hand} "
        f"reserved, oversold SKUs {oversold}"
    )
    return row
