"""The suite's settings ignore the developer's environment and the demo's data directory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from tests.paths import REPO


def test_this_run_uses_a_private_data_directory() -> None:
    assert (REPO / "var").resolve() != settings.DATA_DIR
    assert settings.DATA_DIR.name.startswith("terbuka-tests-")


def test_settings_drop_the_shell_and_demo_configuration(tmp_path: Path) -> None:
    (tmp_path / "witnesses.json").write_text(json.dumps([{"name": "demo"}]))
    env = {
        **os.environ,
        "TERBUKA_DATA_DIR": str(tmp_path),
        "TERBUKA_WITNESSES": "not json",
        "TERBUKA_LOG_ORIGIN": "developer.example/log",
    }
    probe = (
        "import tests.settings as s, os;"
        "print(s.DATA_DIR, s.TERBUKA['WITNESSES_FILE'] or '-', s.TERBUKA['LOG_ORIGIN'],"
        " os.environ['DJANGO_SETTINGS_MODULE'])"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO, env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    data_dir, witnesses_file, origin, module = out
    assert Path(data_dir) != tmp_path and Path(data_dir).name.startswith("terbuka-tests-")
    assert witnesses_file == "-"
    assert origin != "developer.example/log"
    assert module == "terbuka_web.config.settings"
    assert not Path(data_dir).exists()  # removed when the process ended
