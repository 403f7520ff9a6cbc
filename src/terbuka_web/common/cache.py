"""Keep computed values in the worker's cache (Django's default cache, in-process)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache


def cache_through(key: str, compute: Callable[[], Any]) -> Any:
    """Return the cached value of key, computing and caching it when absent (or caching off:
    TERBUKA_SEARCH_CACHE_SECONDS 0); the key must name the data version it was computed from."""
    seconds = settings.TERBUKA["SEARCH_CACHE_SECONDS"]
    found = cache.get(key) if seconds > 0 else None
    if found is None:
        found = compute()
        if seconds > 0:
            cache.set(key, found, seconds)
    return found
