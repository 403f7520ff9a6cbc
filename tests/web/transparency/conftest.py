"""Fixtures of the transparency tests: a log key and a helper that publishes entries."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import transaction
from pytest_django.fixtures import Settings

from terbuka.tlog.note import Verifier, generate_key
from terbuka_web.transparency.models import LogEntry
from terbuka_web.transparency.services import entry_append

ORIGIN = "test.terbuka.example/log"


@pytest.fixture
def log_verifier(settings: Settings) -> Verifier:
    """Configure a fresh log key for ORIGIN and return its verifier."""
    skey, vkey = generate_key(ORIGIN)
    settings.TERBUKA = {**settings.TERBUKA, "LOG_ORIGIN": ORIGIN, "LOG_KEY": skey}
    return Verifier.from_vkey(vkey)


Publish = Callable[[int], list[LogEntry]]


@pytest.fixture
def publish() -> Publish:
    """Return publish(n): commit n entries in one transaction, numbered after those present."""

    def run(n: int) -> list[LogEntry]:
        start = LogEntry.objects.count()
        with transaction.atomic():
            return [
                entry_append(kind="test", ref=f"r{k}", payload={"k": k, "pad": "p" * (k % 50)})
                for k in range(start, start + n)
            ]

    return run
