"""Harvest while another transaction is publishing: no release is skipped or repeated."""

from __future__ import annotations

import hashlib
import json

import psycopg
import pytest
from django.db import connection
from django.test import Client

from terbuka_web.api.selectors import _write_horizon
from terbuka_web.contracting.models import Release
from tests.web.factories import agency_create, process_create, release_add, release_later


def _harvest(client: Client, url: str) -> tuple[list[str], str]:
    ids: list[str] = []
    while (response := client.get(url)).status_code == 200:
        package = response.json()
        ids += [r["id"] for r in package["releases"]]
        url = package["links"]["next"]
    assert response.status_code == 204
    return ids, url


@pytest.mark.django_db(transaction=True)
def test_release_committed_late_is_not_skipped(client: Client) -> None:
    agency = agency_create()
    early = process_create(agency=agency, stages=("planning",))
    if connection.vendor != "postgresql":
        # SQLite has one writer at a time (BEGIN IMMEDIATE): no concurrent publisher exists.
        assert _write_horizon() is None
        assert _harvest(client, "/api/ocds/releases")[0] == [early.releases.get().release_id]
        return
    params = connection.settings_dict
    late = release_later(early, "tender", days=1, supplier="CV Lambat")
    with psycopg.connect(
        dbname=params["NAME"], user=params["USER"], host=params["HOST"], port=params["PORT"]
    ) as other:
        # Another publisher inserts a release (published_at = now) but has not committed yet.
        other.execute(
            "INSERT INTO contracting_release (process_id, ocid, release_id, date, tags, stage,"
            " data, sha256, imported, published_at) VALUES"
            " (%s, %s, %s, now(), %s, 'tender', %s, %s, false, clock_timestamp())",
            [
                early.pk,
                early.ocid,
                late["id"],
                json.dumps(late["tag"]),
                json.dumps(late),
                hashlib.sha256(json.dumps(late).encode()).hexdigest(),
            ],
        )
        assert _write_horizon() is not None
        data = release_later(early, "award", days=2, supplier="CV Cepat")
        after = release_add(early, data, "award")  # a later release commits at once
        seen, resume = _harvest(client, "/api/ocds/releases?limit=1")
        assert seen == [early.releases.get(stage="planning").release_id]
        other.commit()
    rest, _ = _harvest(client, resume)
    assert rest == [late["id"], after.release_id]
    everything = list(
        Release.objects.order_by("published_at", "id").values_list("release_id", flat=True)
    )
    assert seen + rest == everything
