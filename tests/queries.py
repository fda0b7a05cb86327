"""Counting the SQL a page runs, for the tests that a page's cost stays flat as data grows."""

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from common.environment import DATABASE_CACHE


def page_queries(client, url) -> int:
    """The queries one GET of ``url`` runs from a cold cache. Cold each time: the session's
    identity and the shared per-shop figures (common.figures) are cached, and the request that
    computes them is the one whose cost must not grow; like is compared with like."""
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


CACHE_TABLE = DATABASE_CACHE["LOCATION"]
TRANSACTION = {"BEGIN", "COMMIT", "SAVEPOINT", "RELEASE", "ROLLBACK"}


def statements_run(captured) -> list[str]:
    """The SQL a block ran against the product's tables (``captured``: a
    CaptureQueriesContext): not the transaction's own statements, and not the database cache's,
    which stands in for Redis in tests (the shared figures are cache reads, not queries)."""
    return [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].split(" ", 1)[0].upper() not in TRANSACTION and CACHE_TABLE not in q["sql"]
    ]
