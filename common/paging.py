"""Keyset pagination, newest first, on an indexed (timestamp, id) pair: no OFFSET, so page 1,000
costs what page 1 costs. The one home for the cursor's format ("<iso datetime>~<id>")."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q
from django.utils.dateparse import parse_datetime


@dataclass(frozen=True)
class KeysetPage:
    rows: list
    next_cursor: str  # "" on the last page
    is_first: bool


def keyset_page(qs, *, field: str, cursor: str = "", size: int = 50) -> KeysetPage:
    """The ``size`` rows of ``qs`` (ordered by ``-field, -id``) after ``cursor``."""
    after = parse_keyset_cursor(cursor)
    if after:
        when, pk = after
        qs = qs.filter(Q(**{f"{field}__lt": when}) | Q(**{field: when, "id__lt": pk}))
    rows = list(qs[: size + 1])
    page, more = rows[:size], len(rows) > size
    last = page[-1] if page and more else None
    return KeysetPage(
        rows=page,
        next_cursor=f"{getattr(last, field).isoformat()}~{last.pk}" if last else "",
        is_first=after is None,
    )


def parse_keyset_cursor(cursor: str) -> tuple[datetime, int] | None:
    """The cursor "<iso datetime>~<id>" as (datetime, id); None if empty or garbled."""
    when, _, pk = (cursor or "").partition("~")
    parsed = parse_datetime(when) if when else None
    if parsed is None or not pk.isdigit():
        return None
    return parsed, int(pk)
