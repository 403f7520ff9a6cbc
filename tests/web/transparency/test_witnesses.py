"""Check cosigning: the sequencer's checkpoints go to witness processes, cosignatures are stored
and served, the policy is generated from configuration, and `terbuka verify` accepts the result.

The witnesses are real `terbuka witness serve` processes on loopback, each with its own key
and state file, as on consortium members' machines.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import Settings
from tests.core.tlog.logbuild import WitnessProcess, add_checkpoint, start_witness

from terbuka.cli.main import main as terbuka_main
from terbuka.tlog.checkpoint import Checkpoint as CheckpointBody
from terbuka.tlog.cosignature import CosignatureSigner
from terbuka.tlog.note import Signer, Verifier, sign_note
from terbuka.tlog.policy import Policy
from terbuka.tlog.tiles import append_leaves
from terbuka.tlog.witness import AddCheckpointRequest
from terbuka_web.accounts.models import AuditEvent
from terbuka_web.transparency.models import LogEntry, WitnessCosignature, WitnessStatus
from terbuka_web.transparency.selectors import (
    checkpoint_is_final,
    checkpoint_latest,
    entry_id_at,
    policy_current,
)
from terbuka_web.transparency.services import (
    checkpoint_anchor,
    checkpoint_collect_cosignatures,
    log_export,
    log_sequence,
)
from terbuka_web.transparency.witnesses import LocalWitness, witnesses_configured, witnesses_local

pytestmark = pytest.mark.django_db
GROUPS = [("pemerintah", 2), ("auditor", 1), ("warga", 1)]


@pytest.fixture(scope="module")
def witness_keys() -> list[tuple[str, CosignatureSigner]]:
    return [
        (group, CosignatureSigner.generate(f"saksi-{group}-{i}.test"))
        for group, n in GROUPS
        for i in range(n)
    ]


@pytest.fixture
def witnesses(
    settings: Settings,
    log_verifier: Verifier,
    witness_keys: list[tuple[str, CosignatureSigner]],
    tmp_path: Path,
) -> Iterator[list[WitnessProcess]]:
    """Start one witness process per key and configure them in TERBUKA_WITNESSES."""
    started = [
        start_witness(signer, log_verifier.vkey, tmp_path / signer.name)
        for _, signer in witness_keys
    ]
    config = [
        {"name": w.signer.name, "vkey": w.signer.vkey, "url": w.url, "group": group}
        for (group, _), w in zip(witness_keys, started, strict=True)
    ]
    settings.TERBUKA = {**settings.TERBUKA, "WITNESSES": json.dumps(config)}
    yield started
    for witness in started:
        witness.stop()


def test_policy_from_configuration(witnesses: list[WitnessProcess], log_verifier: Verifier) -> None:
    text = policy_current()
    policy = Policy.parse(text)
    assert text.startswith(f"log {log_verifier.vkey} ")
    assert [w.name for w in policy.witnesses] == [w.signer.name for w in witnesses]
    groups = {g.name: (g.threshold, g.members) for g in policy.groups}
    assert groups["pemerintah"][0] == 2 and groups["auditor"][0] == 1
    assert groups["konsorsium"] == (3, ("pemerintah", "auditor", "warga"))
    assert policy.quorum == "konsorsium"
    out = StringIO()
    call_command("terbuka_log", "policy", stdout=out)
    assert out.getvalue() == text


def test_thresholds_and_quorum_are_configurable(
    witnesses: list[WitnessProcess], settings: Settings
) -> None:
    settings.TERBUKA = {
        **settings.TERBUKA,
        "WITNESS_THRESHOLDS": '{"pemerintah": 1}',
        "WITNESS_QUORUM": "2",
    }
    policy = Policy.parse(policy_current())
    groups = {g.name: g.threshold for g in policy.groups}
    assert groups == {"pemerintah": 1, "auditor": 1, "warga": 1, "konsorsium": 2}
    assert policy.satisfied(["saksi-pemerintah-0.test", "saksi-warga-0.test"])


def test_bad_witness_configuration_is_refused(settings: Settings, log_verifier: Verifier) -> None:
    from terbuka.errors import ValidationError

    for raw in [
        "{",
        '{"a": 1}',
        '[{"name": "x"}]',
        '[{"name":"x","vkey":"bad","url":"u","group":"g"}]',
    ]:
        settings.TERBUKA = {**settings.TERBUKA, "WITNESSES": raw}
        with pytest.raises(ValidationError) as info:
            policy_current()
        assert "TERBUKA_WITNESSES" in info.value.where
        assert "konfigurasi saksi" in info.value.message_id


def test_cosignatures_are_collected_stored_and_served(
    witnesses: list[WitnessProcess],
    publish: Callable[[int], list[LogEntry]],
    client: Client,
) -> None:
    publish(5)
    first = log_sequence()
    assert not checkpoint_is_final(checkpoint=first)
    stored = checkpoint_collect_cosignatures(checkpoint=first)
    assert sorted(c.witness for c in stored) == sorted(w.signer.name for w in witnesses)
    assert all(c.cosigned_at is not None for c in stored)
    assert checkpoint_is_final(checkpoint=first)
    served = client.get("/log/checkpoint").content
    Policy.parse(policy_current()).verify_checkpoint(served)  # log + quorum of witnesses
    assert served.decode().count("\n— ") == 1 + len(witnesses)
    publish(300)  # the witnesses now check a consistency proof from size 5
    second = log_sequence()
    assert len(checkpoint_collect_cosignatures(checkpoint=second)) == len(witnesses)
    assert set(WitnessStatus.objects.values_list("last_size", flat=True)) == {305}
    assert checkpoint_collect_cosignatures(checkpoint=second) == []  # nothing left to ask
    assert AuditEvent.objects.filter(action="transparency:checkpoint:cosign").count() == 2


def rows() -> dict[str, list[tuple[object, ...]]]:
    """Return every row of every table, by model."""
    return {
        model._meta.label: sorted(map(tuple, model.objects.values_list()), key=repr)
        for model in apps.get_models()
    }


def test_idle_sequencer_rounds_write_nothing(
    witnesses: list[WitnessProcess], publish: Callable[[int], list[LogEntry]]
) -> None:
    witnesses.pop().stop()  # one witness is down: every round asks it again, and it fails again
    publish(3)
    call_command("terbuka_log", "sequence", stdout=StringIO(), stderr=StringIO())
    assert AuditEvent.objects.filter(action="transparency:checkpoint:cosign").count() == 1
    before = rows()
    for _ in range(5):  # what `terbuka log sequence --loop` does every second when idle
        call_command("terbuka_log", "sequence", stdout=StringIO(), stderr=StringIO())
    assert rows() == before


def test_409_is_retried_from_the_size_the_witness_reports(
    witnesses: list[WitnessProcess], publish: Callable[[int], list[LogEntry]]
) -> None:
    publish(3)
    checkpoint_collect_cosignatures(checkpoint=log_sequence())
    WitnessStatus.objects.update(last_size=0)  # the log forgot what the witnesses hold
    publish(2)
    stored = checkpoint_collect_cosignatures(checkpoint=log_sequence())
    assert len(stored) == len(witnesses)
    assert set(WitnessStatus.objects.values_list("last_error", flat=True)) == {""}


def test_unreachable_witness_is_recorded_and_blocks_finality(
    witnesses: list[WitnessProcess],
    publish: Callable[[int], list[LogEntry]],
    settings: Settings,
) -> None:
    witnesses[-1].stop()  # the only citizen-representative witness goes offline
    witnesses.pop()
    publish(4)
    checkpoint = log_sequence()
    stored = checkpoint_collect_cosignatures(checkpoint=checkpoint)
    assert len(stored) == 3
    status = WitnessStatus.objects.get(witness="saksi-warga-0.test")
    assert "cannot be reached" in status.last_error
    assert not checkpoint_is_final(checkpoint=checkpoint)


def test_a_forked_checkpoint_is_refused_by_every_witness(
    witnesses: list[WitnessProcess],
    publish: Callable[[int], list[LogEntry]],
    settings: Settings,
) -> None:
    publish(10)
    honest = log_sequence()
    checkpoint_collect_cosignatures(checkpoint=honest)
    # The log key signs a different history of 12 entries (a fork) and shows it as new.
    signer = Signer.from_skey(settings.TERBUKA["LOG_KEY"])
    leaves = [bytes([i]) * 32 for i in range(12)]
    _, root = append_leaves(0, leaves, lambda ref: b"")
    text = CheckpointBody(signer.name, 12, root).format()
    forked = sign_note(text, [signer])
    for witness in witnesses:
        status, content_type, body = add_checkpoint(
            witness.url, AddCheckpointRequest(0, (), forked).format()
        )
        assert (status, content_type, body) == (409, "text/x.tlog.size", b"10\n")
        same = AddCheckpointRequest(
            10, (), sign_note(CheckpointBody(signer.name, 10, root).format(), [signer])
        ).format()
        assert add_checkpoint(witness.url, same)[0] == 409
    assert set(WitnessStatus.objects.values_list("last_size", flat=True)) == {10}


def test_witnesses_page_shows_who_cosigned_and_when(
    witnesses: list[WitnessProcess],
    publish: Callable[[int], list[LogEntry]],
    client: Client,
) -> None:
    publish(2)
    checkpoint = log_sequence()
    checkpoint_collect_cosignatures(checkpoint=checkpoint)
    page = client.get("/log/saksi/")
    assert page.status_code == 200
    html = page.content.decode()
    for witness in witnesses:
        assert witness.signer.name in html
    cosignature = WitnessCosignature.objects.filter(checkpoint=checkpoint).first()
    assert cosignature is not None
    shown = timezone.localtime(cosignature.cosigned_at)  # Asia/Jakarta on the page
    assert f'<time datetime="{shown.isoformat()}">' in html
    assert shown.strftime("%H:%M:%S WIB") in html
    assert "Final" in html and "<strong>ya</strong>" in html
    policy = client.get("/log/saksi/kebijakan.txt")
    assert policy.status_code == 200 and policy.content.decode() == policy_current()


def test_page_without_log_key_explains_the_problem(client: Client, settings: Settings) -> None:
    settings.TERBUKA = {
        **settings.TERBUKA,
        "LOG_KEY": "",
        "LOG_KEY_FILE": "",
        "LOG_KEY_GENERATE": False,
    }
    settings.DATA_DIR = Path("/nonexistent-terbuka")
    response = client.get("/log/saksi/")
    assert response.status_code == 503


def test_exported_log_verifies_and_tampering_is_caught(
    witnesses: list[WitnessProcess],
    publish: Callable[[int], list[LogEntry]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    publish(260)
    checkpoint = log_sequence()
    checkpoint_collect_cosignatures(checkpoint=checkpoint)
    export = tmp_path / "ekspor"
    log_export(directory=export)
    policy = tmp_path / "kebijakan.txt"
    policy.write_text(policy_current())
    args = ["verify", str(export), "--policy", str(policy), "--state", str(tmp_path / "s.json")]
    assert terbuka_main([*args, "--audit"]) == 0, capsys.readouterr().out
    tile = export / "tile" / "0" / "000"
    data = bytearray(tile.read_bytes())
    data[7] ^= 0x80
    tile.write_bytes(bytes(data))
    capsys.readouterr()
    assert terbuka_main([*args, "--audit"]) == 1
    assert "tile/0/000" in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)
def test_terbuka_verify_against_the_live_server(
    witnesses: list[WitnessProcess],
    publish: Callable[[int], list[LogEntry]],
    live_server: object,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    publish(20)
    checkpoint_collect_cosignatures(checkpoint=log_sequence())
    policy = tmp_path / "kebijakan.txt"
    policy.write_text(policy_current())
    record = tmp_path / "entri.json"
    record.write_bytes(bytes(LogEntry.objects.get(pk=entry_id_at(17)).data))
    url = f"{live_server.url}/log/"  # type: ignore[attr-defined]
    state = tmp_path / "state.json"
    args = ["verify", url, "--policy", str(policy), "--state", str(state)]
    assert terbuka_main([*args, "--file", str(record), "--audit"]) == 0, capsys.readouterr().out
    assert "indeks 17" in capsys.readouterr().out
    publish(5)  # the log grows without cosignatures: not final, verification refuses it
    log_sequence()
    assert terbuka_main(args) == 1
    assert "quorum" in capsys.readouterr().out


def test_sequence_command_asks_the_witnesses(
    witnesses: list[WitnessProcess], publish: Callable[[int], list[LogEntry]]
) -> None:
    publish(7)
    out, err = StringIO(), StringIO()
    call_command("terbuka_log", "sequence", stdout=out, stderr=err)
    assert "checkpoint size 7" in out.getvalue()
    assert out.getvalue().count("cosigned by ") == len(witnesses)
    checkpoint = checkpoint_latest()
    assert checkpoint is not None and checkpoint_is_final(checkpoint=checkpoint)
    out = StringIO()
    call_command("terbuka_log", "cosign", stdout=out, stderr=err)
    assert out.getvalue() == ""  # every witness already cosigned this checkpoint


def test_sequence_worker_round_asks_a_witness_that_was_down_and_stays_quiet(
    witnesses: list[WitnessProcess], publish: Callable[[int], list[LogEntry]], settings: Settings
) -> None:
    config = json.loads(settings.TERBUKA["WITNESSES"])
    working = settings.TERBUKA["WITNESSES"]
    down = [{**config[0], "url": "http://127.0.0.1:9"}, *config[1:]]  # nothing listens there
    settings.TERBUKA = {**settings.TERBUKA, "WITNESSES": json.dumps(down)}
    publish(3)
    out, err = StringIO(), StringIO()
    call_command("terbuka_log", "sequence", stdout=out, stderr=err)
    assert out.getvalue().count("cosigned by ") == len(witnesses) - 1
    assert config[0]["name"] in err.getvalue()  # the new checkpoint reports the error
    settings.TERBUKA = {**settings.TERBUKA, "WITNESSES": working}  # the witness is back
    out, err = StringIO(), StringIO()
    call_command("terbuka_log", "sequence", stdout=out, stderr=err)  # a round adding nothing
    assert out.getvalue().startswith(f"cosigned by {config[0]['name']} at ")
    assert out.getvalue().count("cosigned by ") == 1
    assert "checkpoint size" not in out.getvalue() and err.getvalue() == ""
    checkpoint = checkpoint_latest()
    assert checkpoint is not None and checkpoint_is_final(checkpoint=checkpoint)
    out = StringIO()
    call_command("terbuka_log", "sequence", stdout=out, stderr=err)
    assert out.getvalue() == "" and err.getvalue() == ""  # nothing new: silent


def test_anchoring_is_off_unless_configured(
    publish: Callable[[int], list[LogEntry]], log_verifier: Verifier, settings: Settings
) -> None:
    publish(1)
    checkpoint = log_sequence()
    assert checkpoint_anchor(checkpoint=checkpoint) is None
    err = StringIO()
    call_command("terbuka_log", "anchor", stderr=err)
    assert "not configured" in err.getvalue()
    settings.TERBUKA = {**settings.TERBUKA, "ANCHOR_NODES": "https://api.hive.example"}
    with pytest.raises(ImproperlyConfigured, match="TERBUKA_ANCHOR_ACCOUNT"):
        checkpoint_anchor(checkpoint=checkpoint)


def test_a_cosignature_by_the_wrong_key_is_not_stored(
    witnesses: list[WitnessProcess],
    publish: Callable[[int], list[LogEntry]],
    settings: Settings,
) -> None:
    config = json.loads(settings.TERBUKA["WITNESSES"])
    config[0]["vkey"] = CosignatureSigner.generate(config[0]["name"]).vkey  # not the process key
    settings.TERBUKA = {**settings.TERBUKA, "WITNESSES": json.dumps(config)}
    publish(2)
    checkpoint = log_sequence()
    stored = checkpoint_collect_cosignatures(checkpoint=checkpoint)
    assert config[0]["name"] not in {c.witness for c in stored}
    assert len(stored) == len(witnesses) - 1
    error = WitnessStatus.objects.get(witness=config[0]["name"]).last_error
    assert "no valid cosignature" in error


def witness_entry(name: str, group: str, **local: object) -> dict[str, object]:
    """Return a TERBUKA_WITNESSES entry for a fresh key named name, plus local fields."""
    vkey = CosignatureSigner.generate(name).vkey
    return {"name": name, "vkey": vkey, "url": "http://127.0.0.1:1", "group": group, **local}


def test_witnesses_come_from_the_file_unless_terbuka_witnesses_is_set(
    settings: Settings, tmp_path: Path
) -> None:
    path = tmp_path / "witnesses.json"
    local = {"key": str(tmp_path / "a.key"), "state": str(tmp_path / "a.json"), "port": 7390}
    path.write_text(json.dumps([witness_entry("a.test", "warga", **local)]))
    settings.TERBUKA = {**settings.TERBUKA, "WITNESSES": "", "WITNESSES_FILE": str(path)}
    assert [(w.name, w.group) for w in witnesses_configured()] == [("a.test", "warga")]
    assert witnesses_local() == [
        LocalWitness("a.test", tmp_path / "a.key", tmp_path / "a.json", 7390)
    ]
    settings.TERBUKA = {**settings.TERBUKA, "WITNESSES": json.dumps([witness_entry("b", "x")])}
    assert [w.name for w in witnesses_configured()] == ["b"]
    assert witnesses_local() == []


def test_a_bad_witnesses_file_is_named_in_the_error(settings: Settings, tmp_path: Path) -> None:
    from terbuka.errors import ValidationError

    path = tmp_path / "witnesses.json"
    settings.TERBUKA = {**settings.TERBUKA, "WITNESSES": "", "WITNESSES_FILE": str(path)}
    partial = {"key": str(tmp_path / "k"), "port": 7390}
    for content in [None, "[{", '{"a": 1}', json.dumps([witness_entry("a", "g", **partial)])]:
        if content is not None:
            path.write_text(content)
        with pytest.raises(ValidationError) as info:
            witnesses_local()
        assert str(path) in info.value.where
        assert "konfigurasi saksi" in info.value.message_id


SETTINGS_PROBE = "import django; django.setup(); from django.conf import settings; "
SETTINGS_PROBE += "print(settings.TERBUKA['WITNESSES_FILE'])"


def test_the_witnesses_file_defaults_to_data_dir_when_it_exists(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "TERBUKA_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="terbuka_web.config.settings",
        TERBUKA_DATA_DIR=str(tmp_path),
        PYTHONPATH="src",
    )

    def probe(**extra: str) -> str:
        command = [sys.executable, "-c", SETTINGS_PROBE]
        done = subprocess.run(command, env={**env, **extra}, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    assert probe() == ""
    (tmp_path / "witnesses.json").write_text("[]")
    assert probe() == str(tmp_path / "witnesses.json")
    assert probe(TERBUKA_WITNESSES_FILE="/etc/terbuka/saksi.json") == "/etc/terbuka/saksi.json"
