"""Counting the SQL a page runs, for the tests that a page's cost stays flat as data grows."""

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext


def page_queries(client, url) -> int:
    """The queries one GET of ``url`` runs from a cold cache. Cold each time: the session's
    identity and the shared per-shop figures (common.figures) are cached, and the request that
    computes them is the one whose cost must not grow; like is compared with like."""
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)
