"""Counting attempts in the shared cache, for limits that must hold across web processes (the
cache falls back to the database while Redis is down: sellercenter.cache).

    if attempts_over(key, limit): refuse
    ... on a failure: attempt_count(key, window_seconds)

Counts live in fixed windows: the key carries the window's number, so a count ends with its
window without a reset job."""

import time

from django.core.cache import cache


def attempt_count(key: str, window_seconds: int) -> int:
    """Count one attempt against ``key`` in the current window; returns the window's count."""
    window_key = _window_key(key, window_seconds)
    cache.add(window_key, 0, timeout=window_seconds)
    try:
        return cache.incr(window_key)
    except ValueError:  # evicted between add and incr
        cache.set(window_key, 1, timeout=window_seconds)
        return 1


def attempts_over(key: str, limit: int, window_seconds: int) -> bool:
    """Whether ``key`` already used its ``limit`` attempts in the current window."""
    return (cache.get(_window_key(key, window_seconds)) or 0) >= limit


def _window_key(key: str, window_seconds: int) -> str:
    return f"throttle:{key}:{int(time.time()) // window_seconds}"
