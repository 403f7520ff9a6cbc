"""No duplicate publications: an unchanged stage, concurrent publishes, the same PDF twice."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from terbuka.errors import TerbukaError, ValidationError
from terbuka.ocds.stage_examples import EXAMPLE_STAGE_DATA
from terbuka_web.accounts.models import Role, User
from terbuka_web.contracting import services
from terbuka_web.contracting.models import Document, Process, Release
from terbuka_web.transparency.models import LogEntry

from .conftest import pdf_bytes, upload

pytestmark = pytest.mark.django_db

SETTINGS = "terbuka_web.config.settings"
NOTHING_CHANGED = ("tidak ada perubahan", "nothing changed")


def publish(users: dict[str, User], process: Process, stage: str = "planning") -> Release:
    return services.stage_publish(user=users[Role.PPK], process=process, stage=stage)


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def written() -> tuple[int, int, int]:
    return Release.objects.count(), LogEntry.objects.count(), Document.objects.count()


def test_publishing_an_unchanged_stage_is_refused(users: dict[str, User], process: Process) -> None:
    upload(users, process, pdf_bytes(1))
    first = publish(users, process)
    before = written()
    with pytest.raises(ValidationError) as info:
        publish(users, process)
    assert NOTHING_CHANGED[0] in info.value.message_id
    assert NOTHING_CHANGED[1] in info.value.message_en and first.release_id in info.value.message_en
    assert written() == before
    upload(users, process, pdf_bytes(2))  # a new document is a change
    assert publish(users, process).tags == ["planningUpdate"]
    data = {**EXAMPLE_STAGE_DATA["planning"], "amount": 1_600_000_000}
    services.stage_draft_save(
        user=users[Role.OPERATOR], process=process, stage="planning", data=data
    )
    assert publish(users, process).data["planning"]["budget"]["amount"]["amount"] == 1_600_000_000
    with pytest.raises(ValidationError, match="nothing changed"):
        publish(users, process)
    assert Release.objects.filter(process=process).count() == 3


def test_an_unchanged_stage_after_a_later_stage_is_still_unchanged(
    users: dict[str, User], process: Process
) -> None:
    publish(users, process, "planning")
    publish(users, process, "tender")
    with pytest.raises(ValidationError, match="nothing changed"):
        publish(users, process, "planning")
    data = {**EXAMPLE_STAGE_DATA["tender"], "amendment_rationale": "Perpanjangan jadwal"}
    services.stage_draft_save(user=users[Role.OPERATOR], process=process, stage="tender", data=data)
    assert publish(users, process, "tender").tags == ["tenderAmendment"]
    with pytest.raises(ValidationError, match="nothing changed"):
        publish(users, process, "tender")


def test_a_double_post_of_terbitkan_publishes_once(
    users: dict[str, User], process: Process
) -> None:
    client = logged_in(users[Role.PPK])
    url = f"/kelola/proses/{process.pk}/planning/terbitkan/"
    first, second = client.post(url), client.post(url)
    assert first.status_code == 302
    assert second.status_code == 400
    page = second.content.decode()
    assert all(words in page for words in NOTHING_CHANGED)
    assert Release.objects.filter(process=process).count() == 1


def race(workers: int, work: Callable[[], Any]) -> Counter[str]:
    """Run work in workers threads released together; count outcomes by result or error class."""
    barrier = threading.Barrier(workers)
    outcomes: Counter[str] = Counter()
    lock = threading.Lock()

    def run() -> None:
        try:
            barrier.wait(30)
            work()
            outcome = "ok"
        except TerbukaError as exc:
            outcome = exc.message_en
        except Exception as exc:  # a database error is the defect under test
            outcome = f"{exc.__class__.__name__}: {exc}"
        finally:
            connection.close()
        with lock:
            outcomes[outcome] += 1

    threads = [threading.Thread(target=run) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return outcomes


CONCURRENT = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite takes one writer at a time (IMMEDIATE); the in-memory test database is shared",
)


@CONCURRENT
@pytest.mark.django_db(transaction=True)
def test_eight_simultaneous_publishes_give_one_release(
    users: dict[str, User], process: Process
) -> None:
    outcomes = race(8, lambda: publish(users, process))
    assert outcomes["ok"] == 1, outcomes
    assert sum(n for o, n in outcomes.items() if o.startswith("nothing changed")) == 7, outcomes
    assert Release.objects.filter(process=process).count() == 1
    assert LogEntry.objects.filter(kind="ocds.release").count() == 1


@CONCURRENT
@pytest.mark.django_db(transaction=True)
def test_eight_simultaneous_uploads_of_one_pdf_give_one_document(
    users: dict[str, User], process: Process
) -> None:
    content = pdf_bytes(2)
    outcomes = race(8, lambda: upload(users, process, content))
    assert outcomes["ok"] == 1, outcomes
    assert Document.objects.filter(process=process).count() == 1


def test_the_same_pdf_twice_in_a_stage_is_refused(users: dict[str, User], process: Process) -> None:
    content = pdf_bytes(3)
    first = upload(users, process, content)
    before = written()
    with pytest.raises(services.UploadRefused) as info:
        upload(users, process, content)
    assert info.value.where == "file" and first.sha256 in info.value.message_en
    assert "the same file" in info.value.message_en and "berkas yang sama" in info.value.message_id
    assert written() == before
    publish(users, process)
    with pytest.raises(services.UploadRefused):
        upload(users, process, content)  # published: still one document of the stage
    publish(users, process, "tender")
    assert upload(users, process, content, "tender").sha256 == first.sha256  # another stage
    documents = Process.objects.get(pk=process.pk).compiled_release["planning"]["documents"]
    assert [d["id"] for d in documents] == [f"sha256-{first.sha256}"]


def test_the_same_pdf_twice_is_refused_on_the_upload_form(
    users: dict[str, User], process: Process
) -> None:
    client = logged_in(users[Role.OPERATOR])
    url = f"/kelola/proses/{process.pk}/planning/dokumen/"
    content = pdf_bytes(2)

    def post() -> Any:
        file = io.BytesIO(content)
        file.name = "dpa.pdf"
        return client.post(url, {"document_type": "procurementPlan", "title": "DPA", "file": file})

    assert post().status_code == 302
    again = post()
    assert again.status_code == 400
    assert "berkas yang sama" in again.content.decode()
    assert Document.objects.filter(process=process).count() == 1


SETUP = """
from terbuka.ocds.stage_examples import EXAMPLE_STAGE_DATA
from terbuka_web.accounts.models import Agency, Role, User
from terbuka_web.contracting import services
from terbuka_web.contracting.models import StageDraft
from terbuka_web.regions.models import Region
region = Region.objects.create(code="35.22", name="Bojonegoro", level="regency")
agency = Agency.objects.create(code="dpu", name="Dinas PU", kind="dinas", government=region)
operator = User.objects.create_user("op", role=Role.OPERATOR, agency=agency)
User.objects.create_user("ppk", role=Role.PPK, agency=agency)
process = services.process_create(user=operator, agency=agency, title="Jalan", fiscal_year=2026)
StageDraft.objects.create(process=process, stage="planning", data=EXAMPLE_STAGE_DATA["planning"])
"""

PUBLISH = """
import pathlib, sys, time
from terbuka.errors import TerbukaError
from terbuka_web.accounts.models import User
from terbuka_web.contracting import services
from terbuka_web.contracting.models import Process
ppk, process = User.objects.get(username="ppk"), Process.objects.get()
while not pathlib.Path(sys.argv[1]).exists():
    time.sleep(0.005)
try:
    services.stage_publish(user=ppk, process=process, stage="planning")
    print("ok")
except TerbukaError as exc:
    print(exc.message_en)
"""


@pytest.mark.slow
def test_eight_publishing_processes_on_one_sqlite_file_give_one_release(tmp_path: Path) -> None:
    """Eight OS processes publish the same stage at once on a real SQLite file (WAL)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TERBUKA_")}
    env.pop("DATABASE_URL", None)
    env |= {"TERBUKA_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": SETTINGS}

    def python(code: str, *args: str) -> list[str]:
        return [sys.executable, "-c", f"import django; django.setup()\n{code}", *args]

    subprocess.run([sys.executable, "-m", "django", "migrate", "-v", "0"], env=env, check=True)
    subprocess.run(python(SETUP), env=env, check=True)
    go = tmp_path / "go"
    workers = [
        subprocess.Popen(python(PUBLISH, str(go)), env=env, stdout=subprocess.PIPE, text=True)
        for _ in range(8)
    ]
    time.sleep(2)  # let each one load Django and wait for the start signal
    go.touch()
    outcomes = Counter(worker.communicate(timeout=120)[0].strip() for worker in workers)
    assert outcomes["ok"] == 1, outcomes
    assert sum(n for o, n in outcomes.items() if o.startswith("nothing changed")) == 7, outcomes
    count = "from terbuka_web.contracting.models import Release; print(Release.objects.count())"
    assert subprocess.run(python(count), env=env, capture_output=True, text=True).stdout == "1\n"
