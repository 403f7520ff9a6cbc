"""The terbuka_regions management command and its `terbuka regions` forwarder."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from terbuka.cli.main import build_parser
from terbuka_web.regions.models import Region


@pytest.mark.django_db
def test_command_loads_and_reports() -> None:
    out = io.StringIO()
    call_command("terbuka_regions", "--within", "35.22", stdout=out)
    text = out.getvalue()
    assert "460 dibuat / created" in text
    assert Region.objects.count() == 460
    out = io.StringIO()
    call_command("terbuka_regions", "--within", "35.22", "--quiet", stdout=out)
    assert "0 dibuat / created" in out.getvalue()


@pytest.mark.django_db
def test_command_reports_bad_code_bilingually() -> None:
    with pytest.raises(CommandError, match=r"tidak sah.* / region code .3x. is invalid"):
        call_command("terbuka_regions", "--within", "3x", "--quiet")
    assert not Region.objects.exists()


def test_cli_forwards_options() -> None:
    args = build_parser().parse_args(["regions", "--within", "35.22", "--quiet"])
    assert args.rest == ["--within", "35.22", "--quiet"]
