"""The wallet's formats in the browser (static/terbuka/wallet-core.js) against the core.

Chromium signs with WebCrypto Ed25519; the core (terbuka.money) parses and verifies what it
made, and Ed25519 being deterministic, the same seed gives the same bytes on both sides. The
QR code is checked for segno's version and level M (its format information).
"""

from __future__ import annotations

import base64
import dataclasses
import functools
import http.server
import random
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import segno
from cryptography.hazmat.primitives import serialization
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from terbuka.errors import TerbukaError
from terbuka.money.allowance import Allowance, allowance_sign
from terbuka.money.enrol import enrol_proof_sign, enrol_proof_verify
from terbuka.money.errors import WalletFormatError
from terbuka.money.intent import GENESIS, Intent, SignedIntent, intent_sign, intent_verify
from terbuka.money.keys import WalletKey, wallet_key_from_seed
from terbuka.money.purpose import Merchant, refusal_reason
from terbuka.money.qr import qr_make
from terbuka.money.reads import read_authorization, read_authorization_check
from terbuka.money.voucher import Voucher, offline_check

STATIC = Path(__file__).resolve().parents[2] / "src" / "terbuka_web" / "common" / "static"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Log nothing."""


@pytest.fixture(scope="module")
def static_url() -> Iterator[str]:
    """Serve the static files on a loopback port (a secure context for WebCrypto)."""
    handler = functools.partial(_Quiet, directory=str(STATIC))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture
def wallet_page(page: Page, static_url: str) -> Page:
    """Open a page with the QR encoder and wallet-core.js loaded."""
    page.goto(f"{static_url}/terbuka/")
    page.add_script_tag(url=f"{static_url}/vendor/qrcode-generator/qrcode.js")
    page.add_script_tag(url=f"{static_url}/terbuka/store.js")
    page.add_script_tag(url=f"{static_url}/terbuka/wallet-core.js")
    page.add_script_tag(url=f"{static_url}/terbuka/wallet-check.js")
    return page


def _pkcs8(key: WalletKey) -> str:
    der = key.private.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return base64.b64encode(der).decode()


IMPORT = """
async ([pkcs8, raw]) => {
  const bytes = Uint8Array.from(atob(pkcs8), (c) => c.charCodeAt(0));
  window.key = await crypto.subtle.importKey("pkcs8", bytes, {name: "Ed25519"}, false, ["sign"]);
  return TerbukaWallet.didKey(Uint8Array.from(atob(raw), (c) => c.charCodeAt(0)));
}
"""


def _import(page: Page, key: WalletKey) -> str:
    raw = base64.b64encode(key.private.public_key().public_bytes_raw()).decode()
    return str(page.evaluate(IMPORT, [_pkcs8(key), raw]))


def _sign(page: Page, did: str, intent: Intent) -> dict[str, str]:
    fields = {
        "merchant": intent.merchant, "programme": intent.programme, "amount": intent.amount,
        "counter": intent.counter, "prev": intent.prev, "expires": intent.expires,
    }  # fmt: skip
    result = page.evaluate(
        "([did, f]) => TerbukaWallet.intentMake(window.key, did, f)", [did, fields]
    )
    return dict(result)


def test_the_w3c_vector_key_gives_the_documented_did_intent_and_proof(wallet_page: Page) -> None:
    key = wallet_key_from_seed(bytes(32))
    did = _import(wallet_page, key)
    assert did == key.did == "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp"
    intent = Intent(did, "toko-ani", "pip-2026", 25000, 1, 1796518800)
    made = _sign(wallet_page, did, intent)
    core = intent_sign(key, intent)
    assert made["wire"] == core.format()
    assert made["hash"] == core.hash() == "iS--E2gz2E2kYjesocXEKG90h-oU6BPKRe4BcZILctM"
    assert made["input"].encode() == intent.signing_bytes()
    challenge = "Y2hhbGxlbmdlLWNoYWxsZW5nZS1jaGFsbGVuZ2UtMzI"
    proof = wallet_page.evaluate(
        "([d, c]) => TerbukaWallet.enrolProof(window.key, d, c, 1796515500)", [did, challenge]
    )
    assert proof == enrol_proof_sign(key, challenge, 1796515500)
    enrol_proof_verify(did, challenge, 1796515500, proof, now=1796515000)
    read = wallet_page.evaluate("(d) => TerbukaWallet.readProof(window.key, d, 1796515200)", did)
    assert read == read_authorization(key, 1796515200)  # the header docs/wallet.md shows
    read_authorization_check(did, read, now=1796515200)


def test_random_intents_signed_in_the_browser_verify_in_the_core(wallet_page: Page) -> None:
    rng = random.Random(20261206)
    alphabet = "ABCXYZabcxyz0189_-"
    for _ in range(25):
        key = wallet_key_from_seed(rng.randbytes(32))
        did = _import(wallet_page, key)
        assert did == key.did
        intent = Intent(
            did,
            "".join(rng.choices(alphabet, k=rng.randint(1, 32))),
            "".join(rng.choices(alphabet, k=rng.randint(1, 32))),
            rng.randint(1, 2**53 - 1),
            rng.randint(1, 2**53 - 1),
            rng.randint(0, 2**53 - 1),
            base64.urlsafe_b64encode(rng.randbytes(32)).decode().rstrip("="),
        )
        made = _sign(wallet_page, did, intent)
        parsed = SignedIntent.parse(made["wire"])
        intent_verify(parsed)
        assert parsed.intent == intent
        assert made["wire"] == intent_sign(key, intent).format()
        assert made["hash"] == intent.hash()


@pytest.mark.parametrize(
    ("field", "value"),
    [("amount", 0), ("amount", 2**53), ("merchant", "toko ani"), ("counter", 1.5), ("prev", "x")],
)
def test_bad_fields_are_refused_before_signing(wallet_page: Page, field: str, value: Any) -> None:
    key = wallet_key_from_seed(bytes(32))
    did = _import(wallet_page, key)
    fields = {"merchant": "toko-ani", "programme": "pip-2026", "amount": 25000, "counter": 1,
              "prev": GENESIS, "expires": 1796518800, field: value}  # fmt: skip
    refused = wallet_page.evaluate(
        """async ([did, f]) => {
             try { await TerbukaWallet.intentMake(window.key, did, f); return null; }
             catch (e) { return [e.field, e.message_id, e.message_en]; }
           }""",
        [did, fields],
    )
    assert refused is not None and refused[0] == field and all(refused[1:])


def _voucher(key: WalletKey) -> tuple[WalletKey, str, str]:
    issuer = wallet_key_from_seed(bytes(range(32)))
    allowance = Allowance(key.did, "pip-2026", 150000, 5, 1, 1797120000, 50000, 100000,
                          ("atk", "warung"), ("3522",))  # fmt: skip
    return issuer, allowance_sign(issuer, allowance).format(), allowance.programme


def test_the_voucher_joins_as_the_core_does_and_passes_the_offline_check(
    wallet_page: Page,
) -> None:
    key = wallet_key_from_seed(bytes(32))
    did = _import(wallet_page, key)
    issuer, allowance_text, programme = _voucher(key)
    made = _sign(wallet_page, did, Intent(did, "toko-ani", programme, 25000, 1, 1796518800))
    payload = wallet_page.evaluate(
        "([i, a]) => TerbukaWallet.voucher(i, a)", [made["wire"], allowance_text]
    )
    voucher = Voucher.parse(payload)
    assert voucher.format() == payload
    offline_check(voucher, issuer=issuer.did, merchant=None, now=1796515000)


def _matrix(wallet_page: Page, payload: str) -> list[list[bool]]:
    return list(
        wallet_page.evaluate(
            """(p) => { const q = TerbukaWallet.qrMake(p); const n = q.getModuleCount();
                        return Array.from({length: n}, (_, r) =>
                          Array.from({length: n}, (_, c) => q.isDark(r, c))); }""",
            payload,
        )
    )


def _format_bits(matrix: Any) -> list[bool]:
    """Return the format information around the top-left finder (ISO/IEC 18004 §7.9): the
    error correction level and the mask, in column 8 and row 8."""
    return [bool(matrix[r][8]) for r in range(9)] + [bool(matrix[8][c]) for c in range(9)]


def test_the_qr_code_is_level_m_at_segnos_version_15_at_most(wallet_page: Page) -> None:
    key = wallet_key_from_seed(bytes(32))
    did = _import(wallet_page, key)
    _issuer, allowance_text, programme = _voucher(key)
    made = _sign(wallet_page, did, Intent(did, "toko-ani", programme, 25000, 1, 1796518800))
    voucher = wallet_page.evaluate(
        "([i, a]) => TerbukaWallet.voucher(i, a)", [made["wire"], allowance_text]
    )
    for payload, version in ((made["wire"], 11), (voucher, 15)):
        browser = _matrix(wallet_page, payload)
        assert qr_make(payload).version == version
        assert len(browser) == 17 + 4 * version
        level_m = [
            _format_bits(segno.make_qr(payload, error="M", version=version, mask=mask).matrix)
            for mask in range(8)
        ]
        assert _format_bits(browser) in level_m
    svg = wallet_page.evaluate("(p) => TerbukaWallet.qrSvg(p, 'QR bayar')", made["wire"])
    assert svg.startswith("<svg") and 'aria-label="QR bayar"' in svg


def test_a_payload_above_version_15_is_refused_like_the_core(wallet_page: Page) -> None:
    payload = "TPI1." + "A" * 420
    with pytest.raises(WalletFormatError):
        qr_make(payload)
    with pytest.raises(PlaywrightError, match="version 15-M"):
        wallet_page.evaluate("(p) => TerbukaWallet.qrMake(p)", payload)


def test_the_device_wallet_keeps_its_key_unexportable_and_chains_its_intents(
    wallet_page: Page,
) -> None:
    made = wallet_page.evaluate(
        """async () => {
             const w = await TerbukaWallet.walletCreate();
             let exported = "yes";
             try { await crypto.subtle.exportKey("pkcs8", w.privateKey); }
             catch (e) { exported = "no"; }
             const pay = {merchant: "toko-ani", programme: "pip-2026", expires: 1796518800};
             const one = await TerbukaWallet.walletPay({...pay, amount: 1000});
             const two = await TerbukaWallet.walletPay({...pay, amount: 2000});
             const head = await TerbukaWallet.walletLoad();
             return {did: w.did, exported, one, two, counter: head.counter, prev: head.prev};
           }"""
    )
    assert made["exported"] == "no"
    first, second = SignedIntent.parse(made["one"]["wire"]), SignedIntent.parse(made["two"]["wire"])
    for signed in (first, second):
        intent_verify(signed)
        assert signed.intent.wallet == made["did"]
    assert (first.intent.counter, first.intent.prev) == (1, GENESIS)
    assert (second.intent.counter, second.intent.prev) == (2, first.hash())
    assert (made["counter"], made["prev"]) == (2, second.hash())


NOW = 1796515000
SHOP = Merchant("toko-ani", "atk", "3522012001")


def _case(
    counter: int = 1, amount: int = 25000, prev: str = GENESIS, expires: int = NOW + 600
) -> tuple[str, SignedIntent]:
    """Return a voucher of the zero-seed wallet under the test allowance, and its intent."""
    key = wallet_key_from_seed(bytes(32))
    _issuer, allowance_text, programme = _voucher(key)
    signed = intent_sign(
        key, Intent(key.did, "toko-ani", programme, amount, counter, expires, prev)
    )
    short = allowance_text.split(".")
    short[1] = short[2] = ""
    return signed.format() + "~" + ".".join(short), signed


def _cases() -> list[tuple[str, str, dict[str, Any]]]:
    """Return (name, payload, options) for every rule of the offline check, and bad formats."""
    good, first = _case()
    other_issuer = Allowance(first.intent.wallet, "pip-2026", 150000, 5, 1, 1797120000)
    foreign = allowance_sign(wallet_key_from_seed(bytes([7] * 32)), other_issuer).format_short()
    sibling = _case(amount=1000)[1].format()
    chain = [first]
    for counter in (2, 3):
        chain.append(_case(counter=counter, amount=50000, prev=chain[-1].hash())[1])
    overdrawn = _case(counter=4, amount=30000, prev=chain[-1].hash())[0]
    return [
        ("valid", good, {}),
        ("valid without merchant", good, {"merchant": None}),
        ("forged intent", good.replace(".25000.", ".25001.", 1), {}),
        ("forged allowance", good.split("~")[0] + "~" + foreign, {}),
        ("outside allowance", _case(counter=6, prev=first.hash())[0], {}),
        ("intent expired", _case(expires=NOW - 1)[0], {}),
        ("allowance expired", good, {"now": 1797120001}),
        ("wrong merchant", good, {"merchant": Merchant("toko-budi", "atk", "3522012001")}),
        ("wrong category", good, {"merchant": Merchant("toko-ani", "apotek", "3522012001")}),
        ("wrong region", good, {"merchant": Merchant("toko-ani", "atk", "3501012001")}),
        ("replay", good, {"seen": [first.format()]}),
        ("same counter", good, {"seen": [sibling]}),
        ("same prev", _case(counter=2, prev=GENESIS)[0], {"seen": [first.format()]}),
        ("overdrawn", overdrawn, {"seen": [signed.format() for signed in chain]}),
        ("payment cap", _case(amount=50001)[0], {}),
        ("day cap", _case(amount=30000)[0], {"spent_today": 80000}),
        ("no tilde", good.replace("~", "."), {}),
        ("bad base64", good.replace(".AAAAAAAAAA", ".AAAAAAAAA!", 1), {}),
        ("padded integer", good.replace(".25000.", ".025000.", 1), {}),
    ]


def _core(payload: str, options: dict[str, Any]) -> str:
    try:
        voucher = Voucher.parse(payload)
    except WalletFormatError:
        return "format"
    try:
        offline_check(
            voucher,
            issuer=wallet_key_from_seed(bytes(range(32))).did,
            merchant=options.get("merchant", SHOP),
            now=options.get("now", NOW),
            seen=[SignedIntent.parse(text) for text in options.get("seen", [])],
            spent_today=options.get("spent_today", 0),
        )
    except TerbukaError as exc:
        return refusal_reason(exc)
    return "valid"


CHECK = """
([payload, issuer, merchant, now, seen, spentToday]) =>
  TerbukaWallet.offlineCheck(payload, {issuer, merchant, now, seen, spentToday})
"""


def test_the_merchants_offline_check_gives_the_cores_reason_for_every_rule(
    wallet_page: Page,
) -> None:
    issuer = wallet_key_from_seed(bytes(range(32))).did
    reasons = set()
    for name, payload, options in _cases():
        merchant = options.get("merchant", SHOP)
        shop = None if merchant is None else dataclasses.asdict(merchant)
        browser = wallet_page.evaluate(
            CHECK,
            [payload, issuer, shop, options.get("now", NOW), options.get("seen", []),
             options.get("spent_today", 0)],
        )  # fmt: skip
        expected = _core(payload, options)
        got = "valid" if browser["valid"] else browser["reason"]
        assert got == expected, name
        assert browser["valid"] or (browser["message_id"] and browser["message_en"]), name
        reasons.add(expected)
    assert reasons == {
        "valid", "forged", "outside_allowance", "expired", "wrong_merchant", "wrong_category",
        "wrong_region", "replay", "double_spend", "allowance_overdrawn", "over_payment_cap",
        "over_day_cap", "format",
    }  # fmt: skip
