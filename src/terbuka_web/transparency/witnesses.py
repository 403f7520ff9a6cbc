"""Know the consortium's witnesses and talk to them (C2SP tlog-witness client side).

Configuration (environment, read through settings.TERBUKA):
  TERBUKA_WITNESSES           JSON list of {"name", "vkey", "url", "group"}; name is the policy
                              name, vkey a cosignature/v1 verifier key, url the witness's base URL
                              (it serves POST <url>/add-checkpoint), group a stakeholder class
                              such as pemerintah, auditor, warga, teknologi, hukum
  TERBUKA_WITNESSES_FILE      file holding that list when TERBUKA_WITNESSES is unset (default
                              DATA_DIR/witnesses.json when it exists); an entry may add "key",
                              "state" and "port" for a witness `terbuka serve` runs on this host
                              (the demo consortium of `terbuka demo`)
  TERBUKA_WITNESS_THRESHOLDS  JSON {"group": k}: cosigners needed per group (default: majority)
  TERBUKA_WITNESS_QUORUM      how many groups must be satisfied (default: all); "none" disables
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

from terbuka.errors import ConfigError, ValidationError
from terbuka.tlog.cosignature import CosignatureVerifier
from terbuka.tlog.errors import UnavailableError
from terbuka.tlog.note import Signature
from terbuka.tlog.policy import Policy
from terbuka.tlog.verify_source import HttpAnswer, http_call
from terbuka.tlog.witness import AddCheckpointRequest, parse_cosignatures

CONSORTIUM_GROUP = "konsorsium"
MAX_ANSWER_BYTES = 64 * 1024


@dataclass(frozen=True)
class WitnessConfig:
    """Hold one configured witness: policy name, verifier key, base URL, stakeholder group."""

    name: str
    vkey: str
    url: str
    group: str

    @property
    def verifier(self) -> CosignatureVerifier:
        return CosignatureVerifier.from_vkey(self.vkey)


def _config_error(what: str, why_id: str, why_en: str = "") -> ConfigError:
    """Return the error naming what (a setting, file or entry) and why, in both languages."""
    return ConfigError(
        f"konfigurasi saksi tidak sah ({what}): {why_id}",
        f"witness configuration is invalid ({what}): {why_en or why_id}",
        where=what,
    )


def _witness_items() -> tuple[str, list[Any]]:
    """Return where the witness list comes from and its raw entries.

    The source is TERBUKA_WITNESSES when set, else the TERBUKA_WITNESSES_FILE path, else
    no witnesses. Raises ConfigError naming the source when it cannot be read, is not
    JSON or not a list.
    """
    conf = settings.TERBUKA
    source, raw = "TERBUKA_WITNESSES", conf.get("WITNESSES") or ""
    if not raw and conf.get("WITNESSES_FILE"):
        source = str(conf["WITNESSES_FILE"])
        try:
            raw = Path(source).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise _config_error(
                source, f"tidak dapat dibaca: {exc}", f"cannot be read: {exc}"
            ) from exc
    try:
        items: Any = json.loads(raw or "[]") if isinstance(raw, str) else raw
    except ValueError as exc:
        raise _config_error(source, f"bukan JSON: {exc}", f"not JSON: {exc}") from exc
    if not isinstance(items, list):
        raise _config_error(source, "harus daftar", "must be a list")
    return source, items


@dataclass(frozen=True)
class WitnessSource:
    """Hold the witnesses another app contributes to the policy and since when they apply.

    since is one line for the policy file's comment, e.g. "berlaku sejak checkpoint 42 / in
    force from checkpoint size 42" (the governance app: witnesses follow the membership).
    """

    witnesses: list[WitnessConfig]
    since: str


_SOURCES: list[Callable[[], WitnessSource]] = []


def witness_source_register(source: Callable[[], WitnessSource]) -> None:
    """Add source to the witnesses every policy and cosigning round uses (once)."""
    if source not in _SOURCES:
        _SOURCES.append(source)


def _sources_read() -> list[WitnessSource]:
    return [source() for source in _SOURCES]


def witnesses_configured() -> list[WitnessConfig]:
    """Return the witnesses of TERBUKA_WITNESSES (or its file), in configuration order, then
    those of the registered sources (witness_source_register).

    Raises ConfigError naming the entry when the JSON, a field or a vkey is wrong, or when
    two witnesses share a name.
    """
    witnesses = _witnesses_checked(*_witness_items())
    for source in _sources_read():
        witnesses += source.witnesses
    if len({w.name for w in witnesses}) != len(witnesses):
        raise _config_error("witnesses", "nama ganda", "duplicate names")
    return witnesses


def _witnesses_checked(source: str, items: list[Any]) -> list[WitnessConfig]:
    """Return the WitnessConfig of each raw entry of source, as witnesses_configured does."""
    witnesses: list[WitnessConfig] = []
    for number, item in enumerate(items):
        where = f"{source}[{number}]"
        fields = ("name", "vkey", "url", "group")
        if not isinstance(item, dict) or not all(isinstance(item.get(k), str) for k in fields):
            raise _config_error(
                where, "butuh name, vkey, url, group", "needs name, vkey, url, group"
            )
        witness = WitnessConfig(*(item[k].strip() for k in fields))
        try:
            witness.verifier  # noqa: B018  # parse the vkey now, not at the first checkpoint
        except Exception as exc:
            raise _config_error(where, str(exc)) from exc
        witnesses.append(witness)
    if len({w.name for w in witnesses}) != len(witnesses):
        raise _config_error(source, "nama ganda", "duplicate names")
    return witnesses


@dataclass(frozen=True)
class LocalWitness:
    """Hold a witness `terbuka serve` runs on this host: its key file, state file and port."""

    name: str
    key: Path
    state: Path
    port: int


def witnesses_local() -> list[LocalWitness]:
    """Return the configured witnesses whose entry also gives "key", "state" and "port".

    Raises ConfigError naming the entry when the witness list is invalid, or when an
    entry gives some of key, state, port but not all, or a path that is not absolute or a
    port outside 1-65535.
    """
    source, items = _witness_items()
    names = [w.name for w in _witnesses_checked(source, items)]  # validates the common fields
    local: list[LocalWitness] = []
    for number, (name, item) in enumerate(zip(names, items, strict=True)):
        if not any(k in item for k in ("key", "state", "port")):
            continue
        key, state, port = item.get("key"), item.get("state"), item.get("port")
        if (
            not isinstance(key, str)
            or not isinstance(state, str)
            or not Path(key).is_absolute()
            or not Path(state).is_absolute()
            or not isinstance(port, int)
            or not 0 < port < 65536
        ):
            raise _config_error(
                f"{source}[{number}]",
                "saksi lokal butuh key dan state (path absolut) dan port 1-65535",
                "a local witness needs key and state (absolute paths) and port 1-65535",
            )
        local.append(LocalWitness(name, Path(key), Path(state), port))
    return local


def _groups(witnesses: list[WitnessConfig]) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for witness in witnesses:
        groups.setdefault(witness.group, []).append(witness.name)
    return groups


def policy_text(*, log_vkey: str, log_url: str = "") -> str:
    """Return the tlog-policy file of the log and the configured witnesses.

    First a `# since` comment line per registered source (witness_source_register), then one
    group per stakeholder class (k of n, default majority), then the consortium group
    requiring TERBUKA_WITNESS_QUORUM groups (default all). Raises ConfigError for a bad
    threshold. Example:
    `log L+..+A..\\nwitness saksi-bpk saksi-bpk+..+B.. https://..\\ngroup auditor 1 saksi-bpk\\n`
    `group konsorsium 1 auditor\\nquorum konsorsium\\n`.
    """
    witnesses = witnesses_configured()
    lines = [f"# {source.since}" for source in _sources_read() if source.witnesses or source.since]
    lines.append(" ".join(filter(None, ["log", log_vkey, log_url])))
    lines += [f"witness {w.name} {w.vkey} {w.url}" for w in witnesses]
    groups = _groups(witnesses)
    thresholds = _thresholds()
    for group, members in groups.items():
        k = thresholds.get(group, len(members) // 2 + 1)
        lines.append(f"group {group} {k} {' '.join(members)}")
    quorum = str(settings.TERBUKA.get("WITNESS_QUORUM") or len(groups))
    if not groups or quorum == "none":
        lines.append("quorum none")
    else:
        lines.append(f"group {CONSORTIUM_GROUP} {quorum} {' '.join(groups)}")
        lines.append(f"quorum {CONSORTIUM_GROUP}")
    text = "\n".join(lines) + "\n"
    try:
        Policy.parse(text)
    except Exception as exc:
        raise _config_error("TERBUKA_WITNESS_THRESHOLDS/QUORUM", str(exc)) from exc
    return text


def _thresholds() -> dict[str, Any]:
    """Return TERBUKA_WITNESS_THRESHOLDS as {"group": k}; raises ConfigError when not one."""
    try:
        thresholds = json.loads(settings.TERBUKA.get("WITNESS_THRESHOLDS") or "{}")
    except ValueError as exc:
        raise _config_error(
            "TERBUKA_WITNESS_THRESHOLDS", f"bukan JSON: {exc}", f"not JSON: {exc}"
        ) from exc
    if not isinstance(thresholds, dict):
        raise _config_error(
            "TERBUKA_WITNESS_THRESHOLDS", "harus objek JSON", "must be a JSON object"
        )
    return thresholds


def witness_post(witness: WitnessConfig, request: AddCheckpointRequest) -> HttpAnswer:
    """POST request to the witness's /add-checkpoint and return its answer, whatever the status.

    Raises UnavailableError when the witness cannot be reached.
    """
    url = witness.url.rstrip("/") + "/add-checkpoint"
    try:
        return http_call(url, request.format(), limit=MAX_ANSWER_BYTES)
    except UnavailableError as exc:
        raise UnavailableError(
            f"saksi {witness.name}: {exc.message_id}",
            f"witness {witness.name}: {exc.message_en}",
            where=url,
        ) from exc


def cosignature_from_answer(witness: WitnessConfig, checkpoint_text: str, body: bytes) -> Signature:
    """Return the witness's cosignature from a 200 answer, verified against checkpoint_text.

    Raises MalformedError for a malformed answer, ValidationError when it holds no valid
    cosignature by this witness's key.
    """
    verifier = witness.verifier
    for sig in parse_cosignatures(body):
        if (sig.name, sig.key_id) == (verifier.name, verifier.key_id) and verifier.verify(
            checkpoint_text.encode(), sig.signature
        ):
            return sig
    raise ValidationError(
        f"saksi {witness.name} tidak mengembalikan kosignatur sah",
        f"witness {witness.name} returned no valid cosignature",
        where=witness.name,
    )
