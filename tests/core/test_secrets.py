"""Check secret files are read only when their owner alone may access them (0600)."""

from __future__ import annotations

from pathlib import Path

import pytest

from terbuka.errors import SecretFileError
from terbuka.secrets import read_secret_file


def test_reads_a_0600_file_stripped(tmp_path: Path) -> None:
    key = tmp_path / "log.key"
    key.write_text("PRIVATE+KEY+example\n")
    key.chmod(0o600)
    assert read_secret_file(key) == "PRIVATE+KEY+example"


@pytest.mark.parametrize("mode", [0o640, 0o604, 0o660, 0o644, 0o610])
def test_refuses_any_group_or_other_access(tmp_path: Path, mode: int) -> None:
    key = tmp_path / "log.key"
    key.write_text("secret")
    key.chmod(mode)
    with pytest.raises(SecretFileError, match="chmod 600") as caught:
        read_secret_file(key, where="--key")
    assert caught.value.where == "--key"


def test_missing_file_is_a_secret_file_error(tmp_path: Path) -> None:
    with pytest.raises(SecretFileError, match="cannot be read"):
        read_secret_file(tmp_path / "absent.key")
