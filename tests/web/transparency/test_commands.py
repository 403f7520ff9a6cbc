"""Check `terbuka log sequence | export | policy` (the management command terbuka_log)."""

from __future__ import annotations

from collections.abc import Callable
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from terbuka.tlog.note import Verifier
from terbuka.tlog.policy import Policy
from terbuka_web.transparency.models import LogEntry

pytestmark = pytest.mark.django_db


def test_sequence_export_and_policy(
    log_verifier: Verifier, publish: Callable[[int], list[LogEntry]], tmp_path: Path
) -> None:
    publish(5)
    out = StringIO()
    call_command("terbuka_log", "sequence", "--batch", "2", stdout=out)
    assert out.getvalue().split("\n")[:3] == [
        "checkpoint size 2",
        "checkpoint size 4",
        "checkpoint size 5",
    ]
    assert not LogEntry.objects.filter(index__isnull=True).exists()
    call_command("terbuka_log", "export", str(tmp_path), stdout=StringIO())
    assert (tmp_path / "tile/0/000.p/5").stat().st_size == 5 * 32
    assert (tmp_path / "tile/entries/000.p/5").exists()
    assert (tmp_path / "checkpoint").read_text().startswith(f"{log_verifier.name}\n5\n")
    out = StringIO()
    call_command("terbuka_log", "policy", stdout=out)
    policy = Policy.parse(out.getvalue() + "quorum none\n")
    assert [v.key_id for v in policy.log_verifiers] == [log_verifier.key_id]
