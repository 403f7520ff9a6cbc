"""Create the demo consortium: three witnesses `terbuka serve` runs next to the demo log.

Under DATA_DIR/demo-witnesses/ each member (groups pemerintah, auditor, warga) gets a
cosignature key made by `terbuka keys generate --witness` (mode 0600) and a state file path;
DATA_DIR/witnesses.json (read through TERBUKA_WITNESSES_FILE) lists them with their loopback
URL and, for `terbuka serve`, their key, state and port. Demo only: real members run their
witness on their own machine (docs/witness.md).
"""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path

from django.conf import settings

from terbuka.errors import ValidationError
from terbuka.tlog.cosignature import CosignatureSigner
from terbuka_web.config.secrets import read_secret_file
from terbuka_web.transparency.keys import key_file_generate

DEMO_WITNESS_GROUPS = ("pemerintah", "auditor", "warga")
# Loopback ports the demo witnesses may use (docs/demo.md); the first free ones are taken.
DEMO_WITNESS_PORTS = range(7381, 7400)


def port_free(port: int) -> bool:
    """Report whether a server could listen on 127.0.0.1:port now (as http.server, which
    reuses an address left in TIME_WAIT)."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _ports_free(count: int) -> list[int]:
    """Return the first count ports of DEMO_WITNESS_PORTS free on 127.0.0.1.

    Raises ValidationError when fewer are free.
    """
    ports = [port for port in DEMO_WITNESS_PORTS if port_free(port)][:count]
    if len(ports) < count:
        span = f"{DEMO_WITNESS_PORTS.start}-{DEMO_WITNESS_PORTS.stop - 1}"
        raise ValidationError(
            f"port saksi demo {span} sudah terpakai; bebaskan {count} di antaranya",
            f"the demo witness ports {span} are taken; free {count} of them",
            where="demo-witnesses",
        )
    return ports


def demo_witnesses_create() -> Path | None:
    """Create the demo consortium unless DATA_DIR/witnesses.json exists; return that path.

    Returns None, creating nothing, when TERBUKA_WITNESSES or a TERBUKA_WITNESSES_FILE other
    than DATA_DIR/witnesses.json configures the witnesses. An existing witnesses.json is kept
    as is, and so is an existing key file (a member's state file is never touched), so a
    re-run keeps the consortium. Raises ValidationError when the demo ports are taken,
    ImproperlyConfigured when a key file cannot be written or is readable by others.
    """
    path = Path(settings.DATA_DIR) / "witnesses.json"
    conf = settings.TERBUKA
    if conf.get("WITNESSES") or conf.get("WITNESSES_FILE") not in ("", str(path)):
        return None
    if path.exists():
        return path
    directory = path.parent / "demo-witnesses"
    entries = []
    for group, port in zip(DEMO_WITNESS_GROUPS, _ports_free(len(DEMO_WITNESS_GROUPS)), strict=True):
        name = f"saksi-{group}.demo.terbuka.example"
        key = directory / f"{name}.key"
        skey = (
            read_secret_file(key)
            if key.exists()
            else key_file_generate(key, name=name, witness=True)
        )
        entries.append(
            {
                "name": name,
                "vkey": CosignatureSigner.from_skey(skey).vkey,
                "url": f"http://127.0.0.1:{port}",
                "group": group,
                "key": str(key),
                "state": str(directory / f"{name}.state.json"),
                "port": port,
            }
        )
    temporary = path.with_suffix(".json.tmp")
    temporary.write_text(json.dumps(entries, indent=2) + "\n", encoding="utf-8")
    os.replace(temporary, path)
    return path
