"""Paging long lists, in one place.

Keyset pages (``keyset_page``): newest first on an indexed (timestamp, id) pair, no OFFSET, so a
late page costs what the first does; the cursor's format is "<iso datetime>~<id>".

Numbered pages that say where you are (``page_window``: "51–100 of 12,345") without counting a
huge table. The total is either passed in (a figure the page already has, such as the cached
status counts) or counted with a LIMIT: past ``COUNT_LIMIT`` rows the page says "of 10,000+"
instead of scanning the rest. Two queries per page whatever the data size.
"""

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from django.db.models import Q
from django.utils.dateparse import parse_datetime

COUNT_LIMIT = 10_000  # counting more rows than this costs more than the exact figure is worth


@dataclass(frozen=True)
class KeysetPage:
    rows: list
    next_cursor: str  # the page after (older); "" on the last page
    prev_cursor: str  # the page before (newer); "" on the first page
    is_first: bool


def keyset_page(
    qs, *, field: str, cursor: str = "", before: str = "", size: int = 50
) -> KeysetPage:
    """The ``size`` rows of ``qs`` (ordered by ``-field, -id``) after ``cursor`` (older), or
    the ``size`` rows just before ``before`` (newer) when only that is given."""
    after, newer_than = parse_keyset_cursor(cursor), parse_keyset_cursor(before)
    if newer_than and not after:
        when, pk = newer_than
        newer = qs.filter(Q(**{f"{field}__gt": when}) | Q(**{field: when, "id__gt": pk}))
        rows = list(newer.reverse()[: size + 1])  # the closest newer rows, oldest first
        page, is_first, more = rows[:size][::-1], len(rows) <= size, True
    else:
        if after:
            when, pk = after
            qs = qs.filter(Q(**{f"{field}__lt": when}) | Q(**{field: when, "id__lt": pk}))
        rows = list(qs[: size + 1])
        page, more, is_first = rows[:size], len(rows) > size, after is None
    last = page[-1] if page and more else None
    first = page[0] if page and not is_first else None
    return KeysetPage(
        rows=page,
        next_cursor=_keyset_cursor(last, field) if last else "",
        prev_cursor=_keyset_cursor(first, field) if first else "",
        is_first=is_first,
    )


def _keyset_cursor(row, field: str) -> str:
    return f"{getattr(row, field).isoformat()}~{row.pk}"


def parse_keyset_cursor(cursor: str) -> tuple[datetime, int] | None:
    """The cursor "<iso datetime>~<id>" as (datetime, id); None if empty or garbled."""
    when, _, pk = (cursor or "").partition("~")
    parsed = parse_datetime(when) if when else None
    if parsed is None or not pk.isdigit():
        return None
    return parsed, int(pk)


@dataclass
class Pager:
    """Where a page sits in a list; ``*_query`` are the query strings of the neighbouring pages."""

    first: int  # 1-based position of the first row shown (0 when empty)
    last: int
    total: int
    total_is_floor: bool = False  # the count stopped at COUNT_LIMIT
    prev_query: str = ""
    next_query: str = ""
    first_query: str = ""

    @property
    def label(self) -> str:
        total = f"{self.total:,}{'+' if self.total_is_floor else ''}"
        if not self.last:
            return f"0 of {total}"
        return f"{self.first:,}\u2013{self.last:,} of {total}"

    @property
    def has_other_pages(self) -> bool:
        return bool(self.prev_query or self.next_query)


@dataclass
class Window:
    items: list
    number: int
    pager: Pager


def bounded_count(qs, limit: int = COUNT_LIMIT) -> tuple[int, bool]:
    """(count, reached the limit): ``SELECT COUNT(*) FROM (... LIMIT limit+1)``."""
    n = qs[: limit + 1].count()
    return (limit, True) if n > limit else (n, False)


def page_window(qs, *, params=None, page=None, size: int = 50, total: int | None = None) -> Window:
    """The page numbered ``page`` (from ``params["page"]`` when not given) of ``qs``.

    ``params`` (the request's GET) is kept in the neighbouring pages' links, ``page`` replaced.
    """
    params = params if params is not None else {}
    number = _page_number(page if page is not None else params.get("page"))
    floor = False
    if total is None:
        total, floor = bounded_count(qs)
    if not floor and total and (number - 1) * size >= total:
        number = (total - 1) // size + 1  # past the end: the last page
    offset = (number - 1) * size
    items = list(qs[offset : offset + size])
    more = offset + len(items) < total or (floor and len(items) == size)
    keep = [(k, v) for k, v in _items(params) if k != "page"]
    pager = Pager(
        first=offset + 1 if items else 0,
        last=offset + len(items),
        total=max(total, offset + len(items)),
        total_is_floor=floor,
        prev_query=urlencode([*keep, ("page", number - 1)]) if number > 1 else "",
        next_query=urlencode([*keep, ("page", number + 1)]) if more else "",
        first_query=urlencode(keep) if number > 2 else "",
    )
    return Window(items=items, number=number, pager=pager)


def _page_number(value) -> int:
    try:
        return max(1, min(int(value), 1_000_000))
    except (TypeError, ValueError):
        return 1


def _items(params) -> list[tuple[str, str]]:
    if hasattr(params, "lists"):
        return [(k, v) for k, values in params.lists() for v in values]
    return list(params.items())
