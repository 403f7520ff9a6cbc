"""`terbuka demo`'s consortium: three local witnesses with 0600 keys, kept by a re-run."""

from __future__ import annotations

import json
import socket
import stat
from pathlib import Path

import pytest
from pytest_django.fixtures import Settings

from terbuka.errors import ValidationError
from terbuka.secrets import read_secret_file
from terbuka.tlog.cosignature import CosignatureSigner
from terbuka_web.common.demo import witnesses as demo_witnesses
from terbuka_web.common.demo.witnesses import DEMO_WITNESS_PORTS, demo_witnesses_create
from terbuka_web.transparency.witnesses import witnesses_configured, witnesses_local


@pytest.fixture
def data_dir(settings: Settings, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path
    settings.TERBUKA = {**settings.TERBUKA, "WITNESSES": "", "WITNESSES_FILE": ""}
    return tmp_path


@pytest.mark.django_db  # the policy also lists the consortium members' witnesses
def test_demo_consortium_has_three_groups_with_private_keys(
    data_dir: Path, settings: Settings
) -> None:
    path = demo_witnesses_create()
    assert path == data_dir / "witnesses.json"
    settings.TERBUKA = {**settings.TERBUKA, "WITNESSES_FILE": str(path)}
    configured = witnesses_configured()
    assert [w.group for w in configured] == ["pemerintah", "auditor", "warga"]
    local = witnesses_local()
    assert [w.name for w in local] == [w.name for w in configured]
    assert len({w.port for w in local}) == 3
    for witness, config in zip(local, configured, strict=True):
        assert witness.port in DEMO_WITNESS_PORTS
        assert config.url == f"http://127.0.0.1:{witness.port}"
        assert witness.key.parent == data_dir / "demo-witnesses"
        assert stat.S_IMODE(witness.key.stat().st_mode) == 0o600
        assert CosignatureSigner.from_skey(read_secret_file(witness.key)).vkey == config.vkey
        assert not witness.state.exists()  # the witness writes it when it first cosigns


def test_a_rerun_keeps_the_consortium_and_its_keys(data_dir: Path) -> None:
    path = demo_witnesses_create()
    assert path is not None
    first = path.read_text()
    assert demo_witnesses_create() == path and path.read_text() == first
    path.unlink()  # the list is lost: the members' keys are still reused
    assert demo_witnesses_create() == path
    vkeys = [entry["vkey"] for entry in json.loads(path.read_text())]
    assert vkeys == [entry["vkey"] for entry in json.loads(first)]


def test_no_demo_consortium_when_witnesses_are_configured(
    data_dir: Path, settings: Settings
) -> None:
    settings.TERBUKA = {**settings.TERBUKA, "WITNESSES": "[]"}
    assert demo_witnesses_create() is None
    settings.TERBUKA = {**settings.TERBUKA, "WITNESSES": "", "WITNESSES_FILE": "/etc/saksi.json"}
    assert demo_witnesses_create() is None
    assert list(data_dir.iterdir()) == []


def test_taken_demo_ports_fail_clearly(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        monkeypatch.setattr(demo_witnesses, "DEMO_WITNESS_PORTS", range(port, port + 1))
        with pytest.raises(ValidationError) as info:
            demo_witnesses_create()
    assert f"{port}-{port}" in info.value.message_en and "terpakai" in info.value.message_id
    assert not (data_dir / "witnesses.json").exists()
