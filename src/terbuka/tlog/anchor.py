"""Anchor checkpoints on the Steem/Hive chain as `custom_json` operations, and check anchors.

An anchor is a public, independently timestamped copy of a checkpoint's `{origin, size, root}`:
whoever later shows a different tree of the same size is caught by the chain as well as by
the witnesses. hive-nectar (the `anchor` extra) is imported lazily, so the core and
`terbuka verify` work without it; checking an anchor's payload needs no extra at all.

Wire format of the operation (Hive API JSON):

    ["custom_json", {"required_auths": [], "required_posting_auths": ["terbuka"],
      "id": "terbuka-checkpoint",
      "json": "{\"origin\":\"terbuka.example/log\",\"root\":\"47DEQpj8...=\",\"size\":42}"}]
"""

from __future__ import annotations

import base64
import importlib
import json
from dataclasses import dataclass
from typing import Any

from terbuka.canonical import canonical_json
from terbuka.tlog.errors import MalformedError, MismatchError, SignatureError

ANCHOR_ID = "terbuka-checkpoint"
DEFAULT_CHAIN = "HIVE"


def _nectar(module: str) -> Any:
    """Import a hive-nectar module lazily (untyped), so the core runs without the extra."""
    return importlib.import_module(module)


@dataclass(frozen=True)
class AnchorPayload:
    """Hold what an anchor commits to: the log's origin, tree size and root hash."""

    origin: str
    size: int
    root: bytes

    def format(self) -> str:
        """Return the canonical JSON text of the payload.

        Example: {"origin":"terbuka.example/log","root":"<base64 32 bytes>","size":42}.
        """
        root = base64.b64encode(self.root).decode("ascii")
        data = {"origin": self.origin, "size": self.size, "root": root}
        return canonical_json(data).decode("utf-8")

    @classmethod
    def parse(cls, text: str) -> AnchorPayload:
        """Parse an anchor's JSON text; raise MalformedError when a field is missing or bad."""
        try:
            data = json.loads(text)
            origin, size = data["origin"], data["size"]
            root = base64.b64decode(data["root"], validate=True)
        except (ValueError, KeyError, TypeError) as exc:
            raise MalformedError(
                f"muatan jangkar tidak sah: {exc}", f"anchor payload is malformed: {exc}"
            ) from exc
        if not isinstance(origin, str) or type(size) is not int or size < 0 or len(root) != 32:
            raise MalformedError(
                "muatan jangkar harus berisi origin teks, size bilangan ≥ 0 dan root 32 bita",
                "anchor payload needs a text origin, an integer size ≥ 0 and a 32-byte root",
            )
        return cls(origin, size, root)


def anchor_operation(payload: AnchorPayload, *, account: str) -> list[Any]:
    """Return the Hive API JSON of the custom_json operation that anchors payload.

    The operation is authorised by account's posting key (no funds move).
    """
    return [
        "custom_json",
        {
            "required_auths": [],
            "required_posting_auths": [account],
            "id": ANCHOR_ID,
            "json": payload.format(),
        },
    ]


def anchor_sign(
    payload: AnchorPayload,
    *,
    account: str,
    wif: str,
    ref_block_num: int,
    ref_block_prefix: int,
    expiration: str,
    chain: str = DEFAULT_CHAIN,
) -> dict[str, Any]:
    """Return a signed transaction (Hive API JSON) anchoring payload, built fully offline.

    ref_block_num / ref_block_prefix / expiration ("2026-11-28T08:00:00") come from a recent
    block when broadcasting; any values do for an offline signature. Raises ImportError
    (hive-nectar missing) or SignatureError when wif is not a valid private key.
    """
    op = _nectar("nectarbase.operations").Custom_json(
        **anchor_operation(payload, account=account)[1]
    )
    tx = _nectar("nectarbase.signedtransactions").Signed_Transaction(
        ref_block_num=ref_block_num,
        ref_block_prefix=ref_block_prefix,
        expiration=expiration,
        operations=[op],
    )
    try:
        tx.sign([wif], chain=chain)
    except (AssertionError, ValueError) as exc:
        raise SignatureError(
            f"kunci WIF tidak sah: {exc}", f"the WIF key is not valid: {exc}"
        ) from exc
    result: dict[str, Any] = tx.json()
    return result


def _signed_transaction(tx_json: dict[str, Any]) -> Any:
    """Rebuild a nectar Signed_Transaction from Hive API JSON (custom_json operations only)."""
    custom_json = _nectar("nectarbase.operations").Custom_json
    signed_transaction = _nectar("nectarbase.signedtransactions").Signed_Transaction
    ops = [custom_json(**body) for name, body in tx_json["operations"] if name == "custom_json"]
    fields = {k: tx_json[k] for k in ("ref_block_num", "ref_block_prefix", "expiration")}
    return signed_transaction(**fields, operations=ops, signatures=tx_json.get("signatures", []))


def anchor_serialize(tx_json: dict[str, Any]) -> bytes:
    """Return the chain's binary serialisation of a transaction given as Hive API JSON."""
    return bytes(_signed_transaction(tx_json))


def anchor_check_signature(
    tx_json: dict[str, Any], pubkey: str, *, chain: str = DEFAULT_CHAIN
) -> None:
    """Check that tx_json carries a valid signature by pubkey ("STM..." form) over chain's ID.

    Raises SignatureError when it does not (or the transaction does not parse).
    """
    public_key = _nectar("nectargraphenebase.account").PublicKey
    try:
        want = public_key(pubkey, prefix=pubkey[:3]).compressed()
        found = _signed_transaction(tx_json).verify(None, chain=chain, recover_parameter=True)
    except Exception as exc:  # nectar raises bare Exception and assorted errors on bad input
        raise SignatureError(
            f"transaksi jangkar atau kunci {pubkey} tidak dapat dibaca: {exc}",
            f"the anchor transaction or key {pubkey} cannot be read: {exc}",
        ) from exc
    if want not in found:
        raise SignatureError(
            f"transaksi jangkar tidak ditandatangani oleh {pubkey}",
            f"the anchor transaction is not signed by {pubkey}",
        )


def anchor_payload_from_tx(tx_json: dict[str, Any]) -> AnchorPayload:
    """Return the payload of the terbuka-checkpoint operation in a transaction (API JSON).

    Accepts a whole transaction {"operations": [...]} or a single operation [name, body].
    Raises MalformedError when no such operation is present.
    """
    ops = tx_json.get("operations", []) if isinstance(tx_json, dict) else [tx_json]
    for op in ops:
        if isinstance(op, list) and len(op) == 2 and op[0] == "custom_json":
            body = op[1]
            if isinstance(body, dict) and body.get("id") == ANCHOR_ID:
                return AnchorPayload.parse(str(body.get("json", "")))
    raise MalformedError(
        f"transaksi tidak memuat operasi custom_json dengan id {ANCHOR_ID}",
        f"the transaction holds no custom_json operation with id {ANCHOR_ID}",
    )


def anchor_check(tx_json: dict[str, Any], *, origin: str, size: int, root: bytes) -> AnchorPayload:
    """Check that the anchor in tx_json commits to exactly (origin, size, root).

    Raises MalformedError (no anchor) or MismatchError naming the field that differs.
    """
    payload = anchor_payload_from_tx(tx_json)
    for field, got, want in (
        ("origin", payload.origin, origin),
        ("size", payload.size, size),
        ("root", payload.root, root),
    ):
        if got != want:
            raise MismatchError(
                f"jangkar tidak cocok dengan checkpoint: {field} berbeda",
                f"the anchor does not match the checkpoint: {field} differs",
                where=field,
            )
    return payload


def anchor_broadcast(
    payload: AnchorPayload, *, account: str, wif: str, nodes: list[str]
) -> dict[str, Any]:  # pragma: no cover - network; never called in tests
    """Sign payload's anchor with a recent reference block and broadcast it to nodes.

    Only called when TERBUKA_ANCHOR_NODES is configured. Returns the node's answer.
    """
    hive = _nectar("nectar").Hive(node=nodes, keys=[wif])
    builder = _nectar("nectar.transactionbuilder").TransactionBuilder(blockchain_instance=hive)
    builder.appendOps(
        _nectar("nectarbase.operations").Custom_json(
            **anchor_operation(payload, account=account)[1]
        )
    )
    builder.appendSigner(account, "posting")
    builder.sign()
    answer: dict[str, Any] = builder.broadcast()
    return answer
