"""Check data migration 0003: processes published before get the root forms in search_text."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from tests.web.factories import agency_create, process_create

from terbuka_web.contracting.models import Process

pytestmark = pytest.mark.django_db

MODULE = "terbuka_web.contracting.migrations.0003_search_text_root_forms"
migration = importlib.import_module(MODULE)


def test_root_forms_are_added_to_every_older_process_once(monkeypatch: pytest.MonkeyPatch) -> None:
    agency = agency_create()
    titles = ["Pengaspalan Jalan Kalitidu", "Penyediaan Air Bersih", "Jalan Desa", "Pembangunan"]
    made = [process_create(agency=agency, title=t) for t in titles]  # search_text without roots
    monkeypatch.setattr(migration, "CHUNK", 3)  # more than one chunk
    migration.add_root_forms(apps, None)
    texts = dict(Process.objects.values_list("pk", "search_text"))
    for process, root in zip(made, ["aspalan", "sediaan", None, "bangunan"], strict=True):
        before, _, added = texts[process.pk].partition(process.search_text)
        assert before == "" and (root in added.split() if root else root not in added.split())
    migration.add_root_forms(apps, None)
    assert dict(Process.objects.values_list("pk", "search_text")) == texts
