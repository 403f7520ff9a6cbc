"""Run the suite on Terbuka's real settings, cut off from the developer's environment and data.

pytest-django imports this module (pyproject's DJANGO_SETTINGS_MODULE) before any conftest, so
it is the one place early enough to isolate the settings: every TERBUKA_* variable of the shell
is dropped (a developer's TERBUKA_WITNESSES or TERBUKA_LOG_KEY must not change what a test
sees), and TERBUKA_DATA_DIR is a fresh temporary directory for the run, so the demo's ./var
(its witnesses.json, keys and database) is never read. DATABASE_URL is kept: it selects the
PostgreSQL run. The xdist workers and the subprocesses started by tests inherit this isolated
environment and load the production settings module, exactly as a deployment would.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

for _name in [n for n in os.environ if n.startswith(("TERBUKA_", "AWS_"))]:
    del os.environ[_name]
os.environ["TERBUKA_DEBUG"] = "1"
os.environ["TERBUKA_DATA_DIR"] = tempfile.mkdtemp(prefix="terbuka-tests-")
atexit.register(shutil.rmtree, os.environ["TERBUKA_DATA_DIR"], ignore_errors=True)
os.environ["DJANGO_SETTINGS_MODULE"] = "terbuka_web.config.settings"

from terbuka_web.config.settings import *  # noqa: E402, F403
