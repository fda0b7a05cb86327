"""The one CSV writer: every download and every CSV file we produce is written here.

A cell a person typed (a buyer's name, a product title, a memo) may start with a character a
spreadsheet reads as a formula — ``=HYPERLINK(...)`` runs when the file is opened. Following
OWASP's CSV injection guidance, a text cell starting with = + - @, tab or carriage return gets a
single quote in front, so the spreadsheet shows it as text. Only text is touched: numbers, dates
and decimals we render stay numbers (a negative amount stays ``-12.50``), so callers pass values,
not pre-formatted strings.

Files start with a UTF-8 byte order mark, so spreadsheets open accents and emoji correctly.
"""

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import IO

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header
from django_scopes import scope

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
CONTENT_TYPE = "text/csv; charset=utf-8"


def safe_row(row: Iterable) -> list:
    """The row as written: each text cell that would start a formula gets its quote, the rest is
    kept. (One comprehension per row rather than a call per cell: a full data export writes
    millions of cells.)"""
    return [("'" + v) if v.__class__ is str and v.startswith(FORMULA_STARTS) else v for v in row]


def safe_cell(value):
    """One value as written (``safe_row`` of a single cell)."""
    return safe_row((value,))[0]


def unquote_cell(text: str) -> str:
    """A cell read back from a file we wrote: the quote ``safe_row`` added is taken off, so an
    exported file imports unchanged."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def csv_lines(header: Sequence, rows: Iterable[Sequence]) -> Iterator[str]:
    """The file line by line (the header with the byte order mark first), for streaming."""
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow(safe_row(header))
    for row in rows:
        yield writer.writerow(safe_row(row))


def write_rows(file: IO[str], header: Sequence, rows: Iterable[Sequence]) -> None:
    """Write the whole file into an open text file (an archive member, a StringIO)."""
    file.write(BOM)
    writer = csv.writer(file)
    writer.writerow(safe_row(header))
    writer.writerows(map(safe_row, rows))


def csv_text(header: Sequence, rows: Iterable[Sequence]) -> str:
    out = io.StringIO()
    write_rows(out, header, rows)
    return out.getvalue()


def csv_response(filename: str, header: Sequence, rows: Iterable[Sequence]) -> HttpResponse:
    """A download built whole: for bounded files (a statement, a report, a template)."""
    response = HttpResponse(csv_text(header, rows), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def csv_streaming_response(
    filename: str, header: Sequence, rows: Iterable[Sequence], *, shop=None
) -> StreamingHttpResponse:
    """A download streamed row by row, flat memory whatever the size: for lists that grow.

    Rows are produced after the view has returned, outside the request's tenant scope; pass the
    ``shop`` whose scope a lazy queryset in ``rows`` needs.
    """
    response = StreamingHttpResponse(_in_scope(shop, header, rows), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _in_scope(shop, header, rows) -> Iterator[str]:
    if shop is None:
        yield from csv_lines(header, rows)
        return
    with scope(shop=shop):
        yield from csv_lines(header, rows)


class _Echo:
    def write(self, value: str) -> str:
        return value
