"""Test C2SP tlog policies: spec examples, transparency-dev vectors and quorum checks."""

from __future__ import annotations

import base64
import itertools
from pathlib import Path
from typing import Any

import pytest

from terbuka.tlog.checkpoint import Checkpoint
from terbuka.tlog.cosignature import CosignatureSigner
from terbuka.tlog.errors import MalformedError, SignatureError
from terbuka.tlog.note import Signer, parse_note, sign_note
from terbuka.tlog.policy import Policy


def _example_1_with_keys(c2sp: Path) -> tuple[str, Signer, dict[str, CosignatureSigner]]:
    text = (c2sp / "tlog-policy-example-1.txt").read_text()
    log = Signer.generate("log.example")
    witnesses = {
        n: CosignatureSigner.generate(f"{n.lower()}.example")
        for n in ["X1", "X2", "X3", "Y1", "Y2", "Y3"]
    }
    text = text.replace("log <vkey>", f"log {log.vkey}")
    for name, signer in witnesses.items():
        text = text.replace(f"witness {name} <vkey>", f"witness {name} {signer.vkey}")
    return text, log, witnesses


def test_example_1_as_is_has_invalid_vkey(c2sp: Path) -> None:
    with pytest.raises(MalformedError, match="line 1"):
        Policy.parse((c2sp / "tlog-policy-example-1.txt").read_text())


def test_example_1_structure_and_quorum(c2sp: Path) -> None:
    text, _, _ = _example_1_with_keys(c2sp)
    policy = Policy.parse(text)
    assert len(policy.logs) == 1 and len(policy.witnesses) == 6
    groups = {g.name: (g.threshold, g.members) for g in policy.groups}
    assert groups == {
        "X-witnesses": (2, ("X1", "X2", "X3")),
        "Y-witnesses": (1, ("Y1", "Y2", "Y3")),
        "X-and-Y": (2, ("X-witnesses", "Y-witnesses")),
    }
    assert policy.quorum == "X-and-Y"
    names = ["X1", "X2", "X3", "Y1", "Y2", "Y3"]
    for size in range(len(names) + 1):
        for subset in itertools.combinations(names, size):
            xs = sum(n.startswith("X") for n in subset)
            ys = sum(n.startswith("Y") for n in subset)
            assert policy.satisfied(subset) == (xs >= 2 and ys >= 1), subset
    assert Policy.parse(policy.format()) == policy


def test_example_2_quorum_none(c2sp: Path) -> None:
    policy = Policy.parse((c2sp / "tlog-policy-example-2.txt").read_bytes())
    assert (policy.logs, policy.witnesses, policy.quorum) == ((), (), "none")
    assert policy.satisfied([])
    assert policy.format() == "quorum none\n"


def test_transparency_dev_policies(formats_golden: dict[str, Any]) -> None:
    sec = formats_golden["witness"]
    tidy, comments, *shared_keys = sec["policies_valid"]
    for vec in (tidy, comments):
        policy = Policy.parse(vec["policy"])
        assert policy.satisfied(["w1", "w2"]) and not policy.satisfied(["w1"])
        assert [w.url for w in policy.witnesses] == [
            "https://sigsum.org/witness/",
            "https://example.com/witness/",
        ]
    assert Policy.parse(tidy["policy"]) == Policy.parse(comments["policy"])
    for vec in shared_keys:  # w2 and w3 share a key: C2SP forbids duplicate witnesses
        with pytest.raises(MalformedError, match="duplicate public key"):
            Policy.parse(vec["policy"])
        w3_vkey = vec["policy"].split("witness w3 ")[1].split()[0]
        fresh = CosignatureSigner.generate("example.com").vkey
        fixed = Policy.parse(vec["policy"].replace(f"w3 {w3_vkey}", f"w3 {fresh}"))
        [group] = fixed.groups
        assert group.threshold == vec["want_quorum_threshold"], vec["desc"]
        assert Policy.parse(fixed.format()) == fixed
    for vec in sec["policies_invalid"]:
        with pytest.raises(MalformedError):
            Policy.parse(vec["policy"])


@pytest.mark.parametrize(
    "bad",
    [
        "quorum none\nquorum none\n",
        "quorum X\n",
        "group g any\nquorum none\n",
        "witness w {w}\ngroup g 0 w\nquorum g\n",
        "witness w {w}\ngroup g 2 w\nquorum g\n",
        "witness w {w}\ngroup g 01 w\nquorum g\n",
        "witness w {w}\ngroup g any w w\nquorum g\n",
        "witness w {w}\nwitness w {v}\nquorum w\n",
        "witness w {w}\nwitness v {w}\nquorum w\n",
        "witness none {w}\nquorum none\n",
        "group g any w\nwitness w {w}\nquorum g\n",
        "witness w {w} url extra\nquorum w\n",
        "log {w}\nquorum none\n",
        "witness w {log}\nlog {log}\nquorum none\n",
        "bogus line\nquorum none\n",
        "quorum none\x00\n",
        "witness w {w}\ngroup g any w\ngroup g any w\nquorum g\n",
        "",
    ],
)
def test_invalid_policies(bad: str) -> None:
    w = CosignatureSigner.generate("w.example").vkey
    v = CosignatureSigner.generate("v.example").vkey
    log = Signer.generate("l").vkey
    with pytest.raises(MalformedError):
        Policy.parse(bad.format(w=w, v=v, log=log))


def test_verify_checkpoint_requires_log_and_quorum() -> None:
    log = Signer.generate("log.example")
    w1, w2 = CosignatureSigner.generate("w1.example"), CosignatureSigner.generate("w2.example")
    policy = Policy.parse(
        f"log {log.vkey}\nwitness a {w1.vkey}\nwitness b {w2.vkey}\ngroup g 2 a b\nquorum g\n"
    )
    text = Checkpoint("log.example", 3, bytes(32)).format()
    logged = parse_note(sign_note(text, [log])).unverified
    one = sign_note(text, [], keep=(*logged, w1.cosign(text, 10)))
    with pytest.raises(SignatureError, match="quorum"):
        policy.verify_checkpoint(one)
    both = sign_note(text, [], keep=(*logged, w1.cosign(text, 10), w2.cosign(text, 11)))
    note, checkpoint = policy.verify_checkpoint(both)
    assert checkpoint.size == 3 and len(note.signatures) == 3
    no_log = sign_note(text, [], keep=(w1.cosign(text, 10), w2.cosign(text, 11)))
    with pytest.raises(SignatureError, match="trusted log"):
        policy.verify_checkpoint(no_log)
    other_origin = Checkpoint("other.example", 3, bytes(32)).format()
    with pytest.raises(SignatureError, match="trusted log"):
        policy.verify_checkpoint(sign_note(other_origin, [log, w1, w2]))


def test_transparency_dev_group_satisfaction(formats_golden: dict[str, Any]) -> None:
    keys = formats_golden["checkpoint_signature_policy"]["keys"]
    log = Signer.from_skey(keys["Log"]["skey"])
    seeds = {i: base64.b64decode(keys[f"Wit{i}"]["skey"].split("+", 4)[4])[1:] for i in (1, 2, 3)}
    wits = {i: CosignatureSigner(f"Wit{i}", seeds[i]) for i in (1, 2, 3)}
    policy = Policy.parse(
        f"log {log.vkey}\n"
        + "".join(f"witness W{i} {keys[f'Wit{i}']['vkey']}\n" for i in (1, 2, 3))
        + "group inner 1 W2 W3\ngroup outer 2 W1 inner\nquorum outer\n"
    )
    text = "Log\n1\n" + "A" * 43 + "=\n"
    logged = parse_note(sign_note(text, [log])).unverified
    for subset, want in [((1, 2, 3), True), ((1, 2), True), ((1,), False), ((2, 3), False)]:
        cosigs = tuple(wits[i].cosign(text, 1_700_000_000 + i) for i in subset)
        msg = sign_note(text, [], keep=(*logged, *cosigs))
        if want:
            policy.verify_checkpoint(msg)
        else:
            with pytest.raises(SignatureError, match="quorum"):
                policy.verify_checkpoint(msg)
    with pytest.raises(MalformedError, match="threshold"):  # Go's NewGroup(0, X): not C2SP
        Policy.parse(f"witness W1 {keys['Wit1']['vkey']}\ngroup g 0 W1\nquorum g\n")


def test_docstring_example_parses() -> None:
    from terbuka.tlog import policy as module

    assert module.__doc__ is not None
    block = module.__doc__.split(":\n\n", 1)[1].split("\n\n", 1)[0]
    parsed = Policy.parse("".join(line.strip() + "\n" for line in block.splitlines()))
    assert [w.name for w in parsed.witnesses] == ["W1", "W2"] and parsed.quorum == "both"
    assert parsed.satisfied(["W1", "W2"]) and not parsed.satisfied(["W2"])
