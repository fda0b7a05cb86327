"""Numbered pages that say where you are ("51–100 of 12,345") without counting a huge table.

The total is either passed in (a figure the page already has, such as the cached status counts)
or counted with a LIMIT: past ``COUNT_LIMIT`` rows the page says "of 10,000+" instead of scanning
the rest. Two queries per page whatever the data size: the bounded count and the rows.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

COUNT_LIMIT = 10_000  # counting more rows than this costs more than the exact figure is worth


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
