"""Per-shop figures that are inherently a scan of the shop's rows (low-stock SKUs, late orders,
the response rate, today's live totals): computed at most once per ``SHOP_FIGURE_TTL_SECONDS``
and shared by every request and every web process through Django's cache.

- ``shop_figure(shop_id, name, compute)`` returns a ``Figure`` (the value and when it was
  computed, for the page's "updated HH:MM" note).
- Single flight: on a miss one request takes a ``cache.add`` lock, reads again (the figure may
  have been stored between its read and its lock) and computes only if still missing; the others
  keep showing the previous value while it is being refreshed, or — when there is none yet, or
  it was forgotten on purpose — wait for it rather than run the same scan 16 times.
- ``count_by_status(queryset)``: the tab counts of a list, as one such figure.
- ``forget_on_change(*models, forget=…)``: the figure follows every save and delete of the
  rows it is built from.
- ``shop_figure_forget(shop_id, *names)`` (``shops_figure_forget`` for many): the events a seller expects to see at once (their
  own stock edit, an import finishing, an order shipped, a reply sent) forget the figure when
  their transaction commits (``also_now``: at once as well, for the figures checkout decides
  with — promotion windows, shipping zones, webhook subscriptions). Forgetting moves the figure to a new generation rather than
  deleting it, so a computation that started before the change cannot store its older answer
  as the current one.
"""

import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from common.policy import POLICY

# A computation slower than this is presumed dead: the lock lapses and waiters compute.
LOCK_SECONDS = 30
WAIT_STEP_SECONDS = 0.05
# Stale values are kept this many TTLs, to show while one request refreshes them.
KEEP_TTLS = 10
# Generations outlive every entry they could vouch for by far.
GEN_SECONDS = 7 * 24 * 3600
FORGET_BATCH = 1_000


@dataclass(frozen=True)
class Figure:
    value: Any
    as_of: datetime


def shop_figure(shop_id: int, name: str, compute: Callable[[], Any]) -> Figure:
    """The shop's figure ``name``: cached if younger than the TTL, else computed once."""
    ttl = timedelta(seconds=POLICY.shop_figure_ttl_seconds)
    key, gen_key = _keys(shop_id, name)
    deadline = time.monotonic() + LOCK_SECONDS
    while True:
        gen, entry = _read(key, gen_key)
        if entry is not None and timezone.now() - entry[1] < ttl:
            return Figure(entry[2], entry[1])
        lock = f"{key}:lock:{gen}"
        if cache.add(lock, 1, timeout=LOCK_SECONDS):
            try:
                # Read again under the lock: another request may have computed and stored the
                # figure (and freed the lock) between our read and our lock.
                gen_now, entry = _read(key, gen_key)
                if gen_now != gen:
                    continue  # forgotten meanwhile: start over with the new generation
                if entry is not None and timezone.now() - entry[1] < ttl:
                    return Figure(entry[2], entry[1])
                return _compute(key, gen, compute, ttl)
            finally:
                cache.delete(lock)
        if entry is not None:
            return Figure(entry[2], entry[1])  # past its TTL: another request is refreshing it
        if time.monotonic() > deadline:
            return _compute(key, gen, compute, ttl)  # the computing request died
        # None yet, or forgotten on purpose: wait for the one computing it.
        time.sleep(WAIT_STEP_SECONDS)


def count_by_status(queryset) -> dict[str, int]:
    """Rows per status: the GROUP BY behind every list's tab counts, cached as a shop figure by
    each list (``shop_figure``) and forgotten by the status changes the seller makes."""
    return dict(queryset.values_list("status").annotate(n=Count("pk")).order_by())


def shop_figure_forget(
    shop_id: int, *names: str, at_once: bool = False, also_now: bool = False
) -> None:
    """Forget these figures of the shop once the current transaction commits (``at_once``: now,
    for a read-only request such as the seller's "Refresh"; ``also_now``: now and again on
    commit, for a figure that decides what the writer's own transaction does next — a price or
    a quote must follow the change at once, and a read that saw the old rows while the change
    was open stored them under the generation the second forget retires)."""
    shops_figure_forget([shop_id], *names, at_once=at_once, also_now=also_now)


def shops_figure_forget(
    shop_ids: Iterable[int], *names: str, at_once: bool = False, also_now: bool = False
) -> None:
    """``shop_figure_forget`` for many shops (a bulk change: the nightly sweep), one cache
    write per ``FORGET_BATCH`` shops."""
    shop_ids = list(shop_ids)
    if not shop_ids:
        return

    def forget():
        for start in range(0, len(shop_ids), FORGET_BATCH):
            batch = shop_ids[start : start + FORGET_BATCH]
            gens = {_keys(pk, name)[1]: uuid.uuid4().hex for pk in batch for name in names}
            cache.set_many(gens, GEN_SECONDS)

    if at_once or also_now:
        forget()
    if not at_once:
        transaction.on_commit(forget)


def forget_on_change(*models, forget: Callable[[int], None], uid: str) -> None:
    """Call ``forget(shop_id)`` whenever a row of one of ``models`` is saved or deleted: the
    shop's figure built from those rows. (An ``.update()`` sends no signal: its caller forgets.)
    Connect once, from the receivers module an AppConfig.ready() imports."""

    def changed(sender, *, instance, **kwargs):
        forget(instance.shop_id)

    for model in models:
        label = model._meta.label_lower
        post_save.connect(changed, sender=model, weak=False, dispatch_uid=f"{uid}:{label}:saved")
        post_delete.connect(
            changed, sender=model, weak=False, dispatch_uid=f"{uid}:{label}:deleted"
        )


def _keys(shop_id: int, name: str) -> tuple[str, str]:
    key = f"shopfig:{shop_id}:{name}"
    return key, f"{key}:gen"


def _read(key: str, gen_key: str):
    """(current generation, entry of that generation or None)."""
    got = cache.get_many([key, gen_key])
    gen = got.get(gen_key, "0")
    entry = got.get(key)  # (generation, as_of, value)
    return gen, (entry if entry is not None and entry[0] == gen else None)


def _compute(key: str, gen: str, compute: Callable[[], Any], ttl: timedelta) -> Figure:
    as_of = timezone.now()  # the figure is at least as recent as the moment we started
    value = compute()
    cache.set(key, (gen, as_of, value), timeout=int(ttl.total_seconds()) * KEEP_TTLS)
    return Figure(value, as_of)
