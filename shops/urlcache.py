"""``reverse()`` once per URL shape, then string formatting: for links repeated on every row.

A 50-row list links each row to its detail page, its actions… — a hundred ``reverse()`` calls
per page, each a walk of the resolver's candidates (about a tenth of a list page's CPU). The
URL of ``catalog:product_detail`` for shop ``acme`` differs from one product to the next only
in the integer, so it is reversed once with marker integers in place of the integer arguments,
and later calls put the real integers where the markers were. Non-integer arguments (the shop
slug) are part of the cache key, as is the script prefix.
"""

from functools import lru_cache

from django.urls import get_script_prefix, reverse

# Integers no real id reaches, each printed only where its converter put it.
_MARKERS = tuple(9_187_340_000_000_000_001 + i for i in range(8))


def fast_reverse(viewname: str, **kwargs) -> str:
    """``reverse(viewname, kwargs=kwargs)``, cached by URL shape (integer values vary freely)."""
    int_names = tuple(sorted(k for k, v in kwargs.items() if _is_int(v)))
    fixed = tuple(sorted((k, v) for k, v in kwargs.items() if not _is_int(v)))
    pieces = _shape(viewname, int_names, fixed, get_script_prefix())
    out = [pieces[0]]
    for name, piece in pieces[1]:
        out.append(str(int(kwargs[name])))
        out.append(piece)
    return "".join(out)


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@lru_cache(maxsize=4096)
def _shape(viewname: str, int_names: tuple, fixed: tuple, prefix: str):
    """(head, ((kwarg name, text after its value), …)) for one URL shape."""
    markers = dict(zip(int_names, _MARKERS, strict=False))
    if len(markers) < len(int_names):
        raise ValueError(f"{viewname}: more integer arguments than markers")
    url = reverse(viewname, kwargs={**dict(fixed), **markers})
    found = sorted((url.find(str(m)), name, len(str(m))) for name, m in markers.items())
    if found and found[0][0] < 0:
        # A converter that does not print the integer verbatim: this shape can't be cached.
        raise ValueError(f"{viewname}: integer arguments are not printed verbatim")
    bounds = [pos for pos, _, _ in found] + [len(url)]
    rest = tuple(
        (name, url[pos + width : bounds[i + 1]]) for i, (pos, name, width) in enumerate(found)
    )
    return url[: bounds[0]], rest
