"""Load the registry's two keys: the NIK/KK hashing key and the name/address sealing key.

Each comes from TERBUKA_REGISTRY_<X>_KEY (the secret text), else TERBUKA_REGISTRY_<X>_KEY_FILE
(must be 0600), else DATA_DIR/registry-<x>.key; in debug or demo mode (TERBUKA_DEBUG,
TERBUKA_DEMO) a missing default file is generated (0600, random), like the log key. Outside
them, no key is an error naming the variable. Losing the hashing key makes every stored NIK
hash unmatchable; losing the sealing key makes names and addresses unreadable (docs/keys.md).
"""

from __future__ import annotations

import functools
from pathlib import Path

from django.conf import settings

from terbuka.registry.identity import key_derive
from terbuka_web.config.secrets import secret_file_generate, setting_secret

KINDS = {"hmac": "REGISTRY_HMAC_KEY", "seal": "REGISTRY_SEAL_KEY"}


def _secret(kind: str) -> str:
    """Return the secret text of kind ("hmac" or "seal"); raise SettingError when none."""
    name = KINDS[kind]
    return setting_secret(
        name, default_file=Path(settings.DATA_DIR) / f"registry-{kind}.key",
        generate=secret_file_generate, words=("kunci registri", "registry key"),
        default_where=f"TERBUKA_{name}_FILE",
    )  # fmt: skip


@functools.cache
def _derived(kind: str, secret: str) -> bytes:
    return key_derive(secret, purpose=f"registry-{kind}")


def hmac_key() -> bytes:
    """Return the 32-byte key that hashes NIK and KK numbers."""
    return _derived("hmac", _secret("hmac"))


def seal_key() -> bytes:
    """Return the 32-byte AES-GCM key that seals names and addresses."""
    return _derived("seal", _secret("seal"))


def pseudonym_key() -> bytes:
    """Return the 32-byte key of registrants' per-programme pseudonyms (from the HMAC secret)."""
    return _derived("pseudonym", _secret("hmac"))
