"""Races for the PostgreSQL tests: each attempt on its own thread and database connection."""

import threading
from concurrent.futures import ThreadPoolExecutor

from django.db import connections

from common.errors import Refused


def at_once(attempt, items, *, workers: int | None = None) -> list:
    """``attempt(item)`` for every item, started together (a barrier) so they really race, at
    most ``workers`` at a time; their results in order. An attempt's error is raised here."""
    items = list(items)
    workers = min(workers or len(items), len(items))
    start = threading.Barrier(workers)

    def run(item):
        try:
            try:
                start.wait(timeout=10)
            except threading.BrokenBarrierError:  # more items than workers: the rest just go
                pass
            return attempt(item)
        finally:
            connections.close_all()  # the thread's own connection

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(run, items))


def ok_or_refusal(step) -> str:
    """``"ok"`` when ``step()`` went through, else the message it was refused with."""
    try:
        step()
    except Refused as exc:
        return exc.message
    return "ok"
