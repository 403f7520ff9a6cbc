"""Run the real `terbuka` command with bad settings: one line naming the variable, exit 2.

Each run starts in an empty working directory with a clean environment, as an operator
outside a checkout would, and checks that the command printed no traceback and created
nothing there (no stray ./var).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from terbuka.money.keys import wallet_key_generate
from terbuka.tlog.note import generate_key

TERBUKA = Path(sys.executable).with_name("terbuka")
ORIGIN = "config.example/log"
LOG_KEY = generate_key(ORIGIN)[0]
GOOD_LOG = {"TERBUKA_LOG_ORIGIN": ORIGIN, "TERBUKA_LOG_KEY": LOG_KEY}


def terbuka(cwd: Path, *command: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run `terbuka COMMAND` in cwd with only PATH, HOME and env set."""
    clean = {"PATH": os.environ["PATH"], "HOME": str(cwd.parent), "LANG": "C.UTF-8"}
    return subprocess.run(
        [str(TERBUKA), *command],
        cwd=cwd,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def cwd(tmp_path: Path) -> Path:
    """Return an empty working directory (files the tests need go beside it, in etc/)."""
    (tmp_path / "etc").mkdir()
    (tmp_path / "cwd").mkdir()
    return tmp_path / "cwd"


def assert_one_line(done: subprocess.CompletedProcess[str], variable: str) -> str:
    """Assert done failed with exit 2 and one stderr line naming variable; return the line."""
    assert "Traceback" not in done.stderr, done.stderr
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2, (done.returncode, done.stderr)
    assert len(lines) == 1 and lines[0].startswith("terbuka: "), done.stderr
    assert variable in lines[0], lines[0]
    return lines[0]


def placed(env: dict[str, str], etc: Path, secret: str = "rahasia") -> dict[str, str]:
    """Return env with {etc} replaced by etc, and {world} by a file of secret others may read."""
    world = etc / "world-readable"
    world.write_text(secret)
    world.chmod(0o644)
    return {k: v.replace("{etc}", str(etc)).replace("{world}", str(world)) for k, v in env.items()}


CHECK, POLICY = ("manage", "check"), ("log", "policy")
BAD_SETTINGS = [
    ({"DATABASE_URL": "nonsense://x"}, "DATABASE_URL", CHECK),
    ({"DATABASE_URL": "mysql://u@h/x"}, "DATABASE_URL", POLICY),
    ({"DATABASE_URL": "postgres://u:sekret@h:notaport/x"}, "DATABASE_URL", CHECK),
    ({"TERBUKA_MAX_UPLOAD_MB": "abc"}, "TERBUKA_MAX_UPLOAD_MB", POLICY),
    ({"TERBUKA_MAX_UPLOAD_MB": "0"}, "TERBUKA_MAX_UPLOAD_MB", CHECK),
    ({"TERBUKA_LOG_BATCH": "1e3"}, "TERBUKA_LOG_BATCH", POLICY),
    ({"TERBUKA_SEARCH_CACHE_SECONDS": "1.5"}, "TERBUKA_SEARCH_CACHE_SECONDS", CHECK),
    ({"TERBUKA_LOG_LOCK_TIMEOUT": "nan"}, "TERBUKA_LOG_LOCK_TIMEOUT", POLICY),
    (
        {"DATABASE_URL": "postgres://u@127.0.0.1:1/x", "TERBUKA_PG_RANDOM_PAGE_COST": "0"},
        "TERBUKA_PG_RANDOM_PAGE_COST",
        CHECK,
    ),
    ({"TERBUKA_LOG_LEVEL": "loud"}, "TERBUKA_LOG_LEVEL", CHECK),
    (
        {"TERBUKA_WALLET_ISSUER": "did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme"},
        "TERBUKA_WALLET_ISSUER",
        CHECK,
    ),
    ({"TERBUKA_WALLET_ISSUER_KEY_FILE": "{etc}/absent"}, "TERBUKA_WALLET_ISSUER_KEY_FILE", CHECK),
    ({"TERBUKA_WALLET_ISSUER_KEY_FILE": "{world}"}, "TERBUKA_WALLET_ISSUER_KEY_FILE", CHECK),
    ({"TERBUKA_EXTRA_DAYS_OFF": "2026-12-24,2026-02-30"}, "TERBUKA_EXTRA_DAYS_OFF", CHECK),
    ({"TERBUKA_STORAGE": "s3"}, "TERBUKA_S3_BUCKET", POLICY),
    ({"TERBUKA_STORAGE": "ftp"}, "TERBUKA_STORAGE", CHECK),
    ({"TERBUKA_SECRET_KEY_FILE": "{etc}/absent"}, "TERBUKA_SECRET_KEY_FILE", POLICY),
    ({"TERBUKA_SECRET_KEY_FILE": "{etc}"}, "TERBUKA_SECRET_KEY_FILE", CHECK),  # a directory
    ({"TERBUKA_SECRET_KEY_FILE": "{world}"}, "TERBUKA_SECRET_KEY_FILE", POLICY),
    ({"TERBUKA_DATA_DIR": "{world}"}, "TERBUKA_DATA_DIR", CHECK),
    ({"TERBUKA_DATA_DIR": "{world}/var"}, "TERBUKA_DATA_DIR", POLICY),
]


@pytest.mark.parametrize(("env", "variable", "command"), BAD_SETTINGS)
def test_a_bad_setting_is_one_line_naming_it(
    cwd: Path, env: dict[str, str], variable: str, command: tuple[str, str]
) -> None:
    env = placed(env, cwd.parent / "etc")
    line = assert_one_line(terbuka(cwd, *command, **GOOD_LOG, **env), variable)
    assert "sekret" not in line  # a database password is never printed
    assert list(cwd.iterdir()) == []


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({}, "TERBUKA_LOG_KEY"),  # outside a checkout: no key, no ./var made
        ({"TERBUKA_LOG_KEY": "rusak"}, "TERBUKA_LOG_KEY"),
        ({"TERBUKA_LOG_KEY_FILE": "{world}"}, "TERBUKA_LOG_KEY_FILE"),
        ({**GOOD_LOG, "TERBUKA_LOG_ORIGIN": "lain.example/log"}, "TERBUKA_LOG_ORIGIN"),
        ({**GOOD_LOG, "TERBUKA_WITNESSES": "[nope"}, "TERBUKA_WITNESSES"),
        ({**GOOD_LOG, "TERBUKA_WITNESSES": "[{}]"}, "TERBUKA_WITNESSES[0]"),
        ({**GOOD_LOG, "TERBUKA_WITNESSES_FILE": "{etc}/absent.json"}, "absent.json"),
        ({**GOOD_LOG, "TERBUKA_WITNESS_THRESHOLDS": "{x"}, "TERBUKA_WITNESS_THRESHOLDS"),
        ({**GOOD_LOG, "TERBUKA_WITNESS_THRESHOLDS": "[1]"}, "TERBUKA_WITNESS_THRESHOLDS"),
    ],
)
def test_log_policy_names_the_bad_log_or_witness_setting(
    cwd: Path, env: dict[str, str], variable: str
) -> None:
    env = placed(env, cwd.parent / "etc", LOG_KEY)
    assert_one_line(terbuka(cwd, "log", "policy", **env), variable)
    assert list(cwd.iterdir()) == []


def test_serve_stops_on_a_bad_setting_before_migrating(cwd: Path) -> None:
    for env, variable in [
        ({**GOOD_LOG, "TERBUKA_WITNESSES": "[nope"}, "TERBUKA_WITNESSES"),
        ({**GOOD_LOG, "TERBUKA_LOG_BATCH": "x"}, "TERBUKA_LOG_BATCH"),
        ({}, "TERBUKA_LOG_KEY"),  # production (no debug) without a log key
    ]:
        assert_one_line(terbuka(cwd, "serve", "127.0.0.1:9", "--no-bulk", **env), variable)
        assert list(cwd.iterdir()) == []


def test_an_unreachable_or_unmigrated_database_is_one_line(cwd: Path) -> None:
    down = {"DATABASE_URL": "postgres://terbuka@127.0.0.1:9/terbuka"}  # nothing listens on 9
    line = assert_one_line(terbuka(cwd, "manage", "migrate", **down), "DATABASE_URL")
    assert "cannot reach the database" in line
    assert list(cwd.iterdir()) == []
    done = terbuka(cwd, "ocds", "export", "out")  # SQLite in ./var, never migrated
    assert "terbuka manage migrate" in assert_one_line(done, "basis data belum dimigrasi")


def test_an_uncreatable_data_dir_is_named_when_first_needed(cwd: Path) -> None:
    done = terbuka(cwd, "manage", "migrate", TERBUKA_DATA_DIR="/proc/terbuka-tidak-ada")
    assert "cannot be created" in assert_one_line(done, "TERBUKA_DATA_DIR")


def test_commands_that_need_no_data_dir_make_none(cwd: Path) -> None:
    etc = cwd.parent / "etc"
    for command, env in [
        (("log", "policy"), GOOD_LOG),
        (("manage", "check"), {}),
        (("verify", "--help"), {"DATABASE_URL": "nonsense://x"}),
        (("keys", "generate", "--name", ORIGIN, "--out", str(etc / "k")), {}),
        (("witness", "serve", "--help"), {}),
    ]:
        done = terbuka(cwd, *command, **env)
        assert done.returncode == 0, done.stderr
        assert list(cwd.iterdir()) == [], command


def test_the_data_dir_and_secret_key_are_made_when_first_used(cwd: Path) -> None:
    assert terbuka(cwd, "manage", "migrate", "-v0").returncode == 0
    assert sorted(p.name for p in (cwd / "var").iterdir()) == ["terbuka.sqlite3"]
    probe = "from django.conf import settings; print(settings.SECRET_KEY)"
    first = terbuka(cwd, "manage", "shell", "-c", probe)
    assert first.returncode == 0 and len(first.stdout.strip()) >= 50, first.stderr
    key = cwd / "var" / "secret_key"
    assert key.stat().st_mode & 0o777 == 0o600
    assert terbuka(cwd, "manage", "shell", "-c", probe).stdout == first.stdout  # kept
    assert [p.name for p in (cwd / "var").iterdir() if p.name.startswith(".")] == []


def test_an_issuer_key_that_is_not_the_issuer_is_one_line(cwd: Path) -> None:
    key = cwd.parent / "etc" / "issuer.pem"
    key.write_bytes(wallet_key_generate().pem())
    key.chmod(0o600)
    issuer = wallet_key_generate().did  # another key's did:key
    env = {"TERBUKA_WALLET_ISSUER": issuer, "TERBUKA_WALLET_ISSUER_KEY_FILE": str(key)}
    line = assert_one_line(terbuka(cwd, "manage", "check", **GOOD_LOG, **env), issuer)
    assert "TERBUKA_WALLET_ISSUER_KEY_FILE" in line
