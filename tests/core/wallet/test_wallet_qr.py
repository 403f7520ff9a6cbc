"""Test the QR code of wallet payloads: level M, at most version 15, its stated size."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.core.wallet.samples import intent_of, voucher_of

from terbuka.money.errors import WalletFormatError
from terbuka.money.qr import QrSize, qr_make, qr_size, qr_write


def test_offline_voucher_fits_version_15_at_level_m() -> None:
    """The golden voucher (366 characters) is version 15, 77×77 modules (docs/wallet.md)."""
    payload = voucher_of().format()
    assert len(payload) == 366
    assert qr_size(payload) == QrSize(version=15, modules=77)
    assert qr_make(payload).error == "M"


def test_online_intent_alone_is_version_11() -> None:
    payload = intent_of().format()
    assert len(payload) == 221
    assert qr_size(payload) == QrSize(version=11, modules=61)


def test_payload_beyond_version_15_is_refused() -> None:
    with pytest.raises(WalletFormatError, match="does not fit a version 15 level M") as info:
        qr_make("x" * 413)
    assert "tidak muat" in info.value.message_id
    assert qr_size("x" * 412).version == 15  # byte-mode capacity of 15-M


def test_qr_png_is_written(tmp_path: Path) -> None:
    out = tmp_path / "bayar.png"
    assert qr_write(voucher_of().format(), out).version == 15
    assert out.read_bytes().startswith(b"\x89PNG")
