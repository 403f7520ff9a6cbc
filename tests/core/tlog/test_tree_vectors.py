"""Run every transparency-dev/merkle inclusion and consistency probe through our checks.

Each probe must raise iff wantErr, except the C2SP size-0 cases documented below
(tests/fixtures/tlog-vectors/README.md §1): transparency-dev's VerifyConsistency requires
0 < size1, while C2SP tlog-witness treats old size 0 with an empty proof as consistent with
any tree, so our check_consistency accepts these three probes.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from tests.paths import TLOG_VECTORS

from terbuka.tlog import tree
from terbuka.tlog.errors import ProofError

DATA = TLOG_VECTORS / "merkle-testdata"
C2SP_SIZE0_ACCEPTED = {
    "consistency/additional/size1-is-zero-and-size2-is-not-zero.json",
    "consistency/additional/sizes-are-equal-zero-and-proof-is-empty.json",
    "consistency/additional/size1-is-zero-and-does-not-equal-size2.json",
}


def _files(kind: str) -> list[str]:
    return sorted(str(p.relative_to(DATA)) for p in (DATA / kind).rglob("*.json"))


def _load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA / name).read_text())
    return data


def _b64(value: str | None) -> bytes:
    return base64.b64decode(value or "")


def _proof(case: dict[str, Any]) -> list[bytes]:
    return [_b64(p) for p in case["proof"] or []]


def test_all_probes_are_present() -> None:
    assert len(_files("inclusion")) == 98
    assert len(_files("consistency")) == 98


@pytest.mark.parametrize("name", _files("inclusion"))
def test_inclusion_probe(name: str) -> None:
    case = _load(name)
    args = (case["treeSize"], _b64(case["root"]), case["leafIdx"], _b64(case["leafHash"]))
    if case["wantErr"]:
        with pytest.raises(ProofError):
            tree.check_inclusion(_proof(case), *args)
    else:
        tree.check_inclusion(_proof(case), *args)


@pytest.mark.parametrize("name", _files("consistency"))
def test_consistency_probe(name: str) -> None:
    case = _load(name)
    args = (case["size2"], _b64(case["root2"]), case["size1"], _b64(case["root1"]))
    if case["wantErr"] and name not in C2SP_SIZE0_ACCEPTED:
        with pytest.raises(ProofError):
            tree.check_consistency(_proof(case), *args)
    else:
        tree.check_consistency(_proof(case), *args)


@pytest.mark.parametrize("name", sorted(C2SP_SIZE0_ACCEPTED))
def test_c2sp_size0_cases_differ_from_transparency_dev(name: str) -> None:
    case = _load(name)
    assert case["wantErr"] is True and case["size1"] == 0 and not case["proof"]
    if case["size2"] == 0:  # equal sizes: the roots must still match
        assert case["root1"] == case["root2"]
    tree.check_consistency([], case["size2"], _b64(case["root2"]), 0, _b64(case["root1"]))
