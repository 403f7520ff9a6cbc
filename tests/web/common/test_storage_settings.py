"""Check TERBUKA_STORAGE=s3 configures django-storages from the environment."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

PROBE = """
import json, django
django.setup()
from django.core.files.storage import storages
s = storages["default"]
n = type(s).__name__
print(json.dumps([n, s.bucket_name, s.endpoint_url, s.region_name, s.file_overwrite]))
"""


def test_s3_storage_reads_bucket_endpoint_and_region(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="terbuka_web.config.settings",
        TERBUKA_DATA_DIR=str(tmp_path),
        TERBUKA_STORAGE="s3",
        TERBUKA_S3_BUCKET="dokumen-bojonegoro",
        TERBUKA_S3_ENDPOINT_URL="http://127.0.0.1:9000",
        TERBUKA_S3_REGION="ap-southeast-3",
        PYTHONPATH="src",
    )
    out = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert json.loads(out) == [
        "S3Storage",
        "dokumen-bojonegoro",
        "http://127.0.0.1:9000",
        "ap-southeast-3",
        False,
    ]


def test_s3_storage_without_bucket_fails_loudly(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "TERBUKA_S3_BUCKET"}}
    env.update(
        DJANGO_SETTINGS_MODULE="terbuka_web.config.settings",
        TERBUKA_DATA_DIR=str(tmp_path),
        TERBUKA_STORAGE="s3",
        PYTHONPATH="src",
    )
    done = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True)
    assert done.returncode != 0 and "TERBUKA_S3_BUCKET" in done.stderr
