"""The shared-figure single flight computes a figure once, whatever the interleaving.

The race, forced step by step rather than hoped for with threads and sleeps: request B reads
"no value"; request A then takes the lock, computes, stores the figure and frees the lock; only
then does B take the (free) lock. B must find A's figure instead of computing it again."""

import pytest

from common import figures
from common.figures import shop_figure, shop_figure_forget

pytestmark = pytest.mark.django_db
SHOP_ID = 515151


def _with_request_a_finishing_after_bs_read(monkeypatch, *, between=None):
    """Patch figures._read so that right after request B's first read, request A runs to the
    end (and ``between`` runs, if given) before B goes on with what it had read."""
    real_read, calls, state = figures._read, [], {"b_read": False}

    def compute():
        calls.append(1)
        return len(calls)

    def read(key, gen_key):
        seen = real_read(key, gen_key)
        if not state["b_read"]:
            state["b_read"] = True
            assert shop_figure(SHOP_ID, "orders", compute).value == 1  # request A
            if between:
                between()
        return seen

    monkeypatch.setattr(figures, "_read", read)
    return compute, calls


def test_a_request_that_read_a_miss_before_another_stored_it_does_not_compute_again(
    monkeypatch,
):
    compute, calls = _with_request_a_finishing_after_bs_read(monkeypatch)
    assert shop_figure(SHOP_ID, "orders", compute).value == 1  # request B: A's figure
    assert len(calls) == 1


def test_a_figure_forgotten_meanwhile_is_computed_for_the_new_generation(monkeypatch):
    compute, calls = _with_request_a_finishing_after_bs_read(
        monkeypatch, between=lambda: shop_figure_forget(SHOP_ID, "orders", at_once=True)
    )
    assert shop_figure(SHOP_ID, "orders", compute).value == 2  # after the change: recomputed
    assert len(calls) == 2
    assert shop_figure(SHOP_ID, "orders", compute).value == 2  # and stored for the new one
    assert len(calls) == 2
