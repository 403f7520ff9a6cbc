"""Check data migration 0005: published processes get search_text derived again (roots, NPWP)."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from tests.web.factories import agency_create, draft_create, process_create, supplier_npwp

from terbuka_web.contracting.models import Process

pytestmark = pytest.mark.django_db

MODULE = "terbuka_web.contracting.migrations.0005_search_text_dictionary_roots"
migration = importlib.import_module(MODULE)


def test_older_search_text_is_derived_again_once(monkeypatch: pytest.MonkeyPatch) -> None:
    agency = agency_create()
    titles = ["Rehabilitasi Gedung Sekolah", "Penyediaan Air Bersih", "Jalan Desa", "Pembangunan"]
    made = [process_create(agency=agency, title=t, stages=("planning", "award")) for t in titles]
    current = dict(Process.objects.values_list("pk", "search_text"))
    old = {p.pk: f"{p.title.lower()} kolah sediaan bangunan" for p in made}  # hand-made roots
    for pk, text in old.items():
        Process.objects.filter(pk=pk).update(search_text=text)
    draft = draft_create(agency=agency)
    Process.objects.filter(pk=draft.pk).update(search_text="draf")
    monkeypatch.setattr(migration, "CHUNK", 3)  # more than one chunk
    migration.derive_again(apps, None)
    texts = dict(Process.objects.values_list("pk", "search_text"))
    assert texts == {**current, draft.pk: "draf"}  # as publishing derives it; drafts untouched
    words = texts[made[1].pk].split()
    assert (
        "sedia" in words
        and "sediaan" not in words
        and supplier_npwp("CV Maju Jaya Bojonegoro") in words
    )
    assert "kolah" not in texts[made[0].pk].split()
    migration.derive_again(apps, None)
    assert dict(Process.objects.values_list("pk", "search_text")) == texts
