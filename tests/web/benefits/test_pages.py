"""Test the public pages and API of benefit programmes on the demo data, and scan every
public page, API answer and log entry of the app for any registrant's identity."""

from __future__ import annotations

import csv
import io
import json
import time
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.test import Client
from pytest_django.fixtures import Settings

from terbuka.money.reads import read_authorization
from terbuka.money.walletfile import wallet_file_read
from terbuka.registry.identity import kk_hash, nik_hash
from terbuka_web.accounts.models import Agency, Role, User
from terbuka_web.benefits.keys import hmac_key
from terbuka_web.benefits.models import Cycle, Programme, Registrant
from terbuka_web.common.demo.benefits import demo_benefits_create, registry_csv
from terbuka_web.common.demo.consortium import demo_consortium_create
from terbuka_web.common.demo.wallets import demo_wallets_create
from terbuka_web.governance.models import Proposal
from terbuka_web.portal.templatetags.terbuka import rupiah
from terbuka_web.regions.models import Region
from terbuka_web.transparency.models import LogEntry
from terbuka_web.transparency.selectors import entries_pending
from terbuka_web.transparency.services import log_sequence
from terbuka_web.wallets.models import Payment, Wallet


@pytest.fixture
def demo(region: list[Agency], settings: Settings, tmp_path: Path) -> list[dict[str, str]]:
    """Seed the demo consortium and programmes; return the demo registry's rows."""
    settings.DATA_DIR = tmp_path
    demo_consortium_create()
    assert demo_benefits_create() is not None
    villages = list(
        Region.objects.filter(level="village", code__startswith="35.22.")
        .order_by("code")
        .values_list("code", flat=True)
    )
    return list(csv.DictReader(io.StringIO(registry_csv(villages).decode())))


def test_the_api_lists_programmes_in_the_acceptance_shape(demo: object, client: Client) -> None:
    answer = client.get("/api/benefits/programmes").json()
    assert {p["id"] for p in answer} == {"blt-desil", "banjir-bengawan-solo"}
    for item in answer:
        assert set(item) == {"id", "name", "rule_hash", "cycles"}
        programme = Programme.objects.get(slug=item["id"])
        assert programme.current is not None and item["rule_hash"] == programme.current.rule_hash
        assert item["cycles"] == ([1, 2] if item["id"] == "blt-desil" else [1])


def test_the_programme_page_shows_rules_budget_and_village_totals(
    demo: object, client: Client
) -> None:
    html = client.get("/bantuan/banjir-bengawan-solo/").content.decode()
    programme = Programme.objects.get(slug="banjir-bengawan-solo")
    assert programme.current is not None
    assert programme.current.rule_hash in html and "disaster_zones.exists" in html
    assert "Rp 2.500.000.000" in html and "Kanor" in html and "chart-desa" in html
    assert "Uji coba aturan" not in html  # the dry run is for officers
    listing = client.get("/bantuan/").content.decode()
    assert "Bantuan Langsung Tunai Daerah" in listing and "NIK ganda" in listing
    assert client.get("/bantuan/tidak-ada/").status_code == 404


def test_officers_of_the_agency_and_auditors_see_the_dry_run(demo: object, client: Client) -> None:
    dinsos = Agency.objects.get(code="3522-dinsos")
    for user in (
        User.objects.create_user("ppk.sosial", role=Role.PPK, agency=dinsos),
        User.objects.create_user("aud.sosial", role=Role.AUDITOR),
    ):
        client.force_login(user)
        html = client.get("/bantuan/blt-desil/").content.decode()
        assert "Uji coba aturan" in html and "Tidak ada perubahan" in html
    other = User.objects.create_user(
        "ppk.pu", role=Role.PPK, agency=Agency.objects.get(code="3522-dpupr")
    )
    client.force_login(other)
    assert "Uji coba aturan" not in client.get("/bantuan/blt-desil/").content.decode()


def _wallet_texts(client: Client) -> list[str]:
    """Return what each demo wallet's owner reads of it (with its key's read proof), after
    checking that nobody else reads it."""
    folder = Path(settings.DATA_DIR) / "demo-wallets"
    keys = [wallet_file_read(path).key for path in sorted(folder.iterdir())]
    assert keys and {k.did for k in keys} <= set(Wallet.objects.values_list("did", flat=True))
    texts = []
    for key in keys:
        for url in (f"/api/wallets/{key.did}{part}" for part in ("", "/payments", "/credits")):
            assert client.get(url).status_code == 401, url  # a did:key alone reads nothing
            proof = {"Authorization": read_authorization(key, int(time.time()))}
            response = client.get(url, headers=proof)
            assert response.status_code == 200, url
            texts.append(response.content.decode())
    return texts


def _public_texts(client: Client, demo: list[dict[str, str]]) -> list[str]:
    """Return every public page, API answer and log entry the benefits app produces."""
    urls = ["/bantuan/", "/api/benefits/programmes", "/api/openapi.json", "/konsorsium/"]
    urls += [f"/bantuan/{p.slug}/" for p in Programme.objects.all()]
    urls += [
        f"/api/benefits/programmes/{c.programme.slug}/cycles/{c.number}/villages"
        for c in Cycle.objects.select_related("programme")
    ]
    urls += [f"/bantuan/{c.programme.slug}/siklus/{c.number}/" for c in Cycle.objects.all()]
    urls += ["/anggaran/35.22/", "/anggaran/35.22.10/"]
    urls += [f"/anggaran/{code}/" for code in {r["kode_desa"] for r in demo[:50]}]
    urls += [f"/konsorsium/usulan/{p.uid}/" for p in Proposal.objects.all()]
    urls += [f"/api/governance/proposals/{p.uid}" for p in Proposal.objects.all()]
    urls += ["/api/wallets/merchants"]
    urls += [f"/api/wallets/payments/{p.intent_hash}" for p in Payment.objects.all()]
    texts = []
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        texts.append(response.content.decode())
    texts += _wallet_texts(client)
    texts += [bytes(e.data).decode() for e in LogEntry.objects.all()]
    return texts


def test_no_public_page_api_or_log_entry_reveals_a_registrant(
    demo: list[dict[str, str]], client: Client
) -> None:
    assert Registrant.objects.count() == len(demo)
    dinsos = Agency.objects.get(code="3522-dinsos")
    User.objects.create_user("ppk.dinsos", role=Role.PPK, agency=dinsos)
    assert demo_wallets_create()  # enrolled wallets, their payments and receipts
    while entries_pending():
        log_sequence()
    key = hmac_key()
    secrets = set()
    for row in demo:
        secrets |= {row["nik"], row["no_kk"], row["nama"], row["alamat"]}
        secrets |= {nik_hash(key, row["nik"]), kk_hash(key, row["no_kk"])}
    texts = _public_texts(client, demo)
    client.force_login(User.objects.create_user("pemeriksa", role=Role.AUDITOR))
    for c in Cycle.objects.select_related("programme"):  # the auditors' exports too
        base = f"/bantuan/{c.programme.slug}/siklus/{c.number}/audit"
        texts.append(client.get(base + ".csv").content.decode())
        sheet = openpyxl.load_workbook(io.BytesIO(client.get(base + ".xlsx").content)).active
        texts.append(repr(list(sheet.iter_rows(values_only=True))))
    blob = "\n".join(texts)
    found = sorted(s for s in secrets if s in blob)
    assert found == []
    assert json.loads(client.get("/api/benefits/programmes").content)  # scanned something
    assert "c2sp.org/tlog-proof@v1" in blob  # receipts with their proofs scanned


def test_a_cycle_page_charts_and_tables_its_village_figures(demo: object, client: Client) -> None:
    cycle = Cycle.objects.select_related("programme").order_by("id").first()
    assert cycle is not None
    slug, n = cycle.programme.slug, cycle.number
    api = json.loads(client.get(f"/api/benefits/programmes/{slug}/cycles/{n}/villages").content)
    html = client.get(f"/bantuan/{slug}/siklus/{n}/").content.decode()
    assert '<svg class="chart-svg" role="img"' in html and "Tabel data" in html
    top = max(api, key=lambda r: r["credited"])
    assert f'id="desa-{top["village_code"]}"' in html
    name = Region.objects.get(code=top["village_code"]).name
    assert name in html  # named in the chart's text alternative and the table
    assert f'href="/bantuan/{slug}/siklus/{n}/"' in client.get(f"/bantuan/{slug}/").content.decode()
    assert client.get(f"/bantuan/{slug}/siklus/99/").status_code == 404


def test_region_pages_link_the_programmes_active_there(demo: object, client: Client) -> None:
    cycle = Cycle.objects.select_related("programme").order_by("id").first()
    assert cycle is not None
    slug, n = cycle.programme.slug, cycle.number
    api = json.loads(client.get(f"/api/benefits/programmes/{slug}/cycles/{n}/villages").content)
    village = max(api, key=lambda r: r["credited"])
    latest = cycle.programme.cycles.order_by("-number").first()
    assert latest is not None and latest.number == n  # the demo runs one cycle a programme
    html = client.get(f"/anggaran/{village['village_code']}/").content.decode()
    assert f'href="/bantuan/{slug}/"' in html
    assert f'href="/bantuan/{slug}/siklus/{n}/#desa-{village["village_code"]}"' in html
    assert rupiah(village["credited"]) in html
    district = village["village_code"][:8]
    within = sum(r["credited"] for r in api if r["village_code"].startswith(district + "."))
    assert rupiah(within) in client.get(f"/anggaran/{district}/").content.decode()
    outside = client.get("/anggaran/35.23/")
    assert outside.status_code == 404 or f"/bantuan/{slug}/" not in outside.content.decode()


def test_the_demo_flood_relief_is_started_by_its_declared_disaster(demo: object) -> None:
    entry = LogEntry.objects.get(kind="benefit.disaster")
    declared = json.loads(bytes(entry.data))
    assert declared["title"] == "Banjir Bengawan Solo"
    assert declared["regions"] == ["35.22.10", "35.22.11", "35.22.15", "35.22.23"]
    flood = Cycle.objects.get(programme__slug="banjir-bengawan-solo")
    assert flood.trigger == f"bencana:{declared['id']}" and flood.status == "done"
    assert set(Programme.objects.get(slug="banjir-bengawan-solo").current.rules["parameters"]) == {
        "max_desil",
        "base",
        "per_member",
    }  # the zones come from the declaration alone
    villages = set(flood.items.values_list("village_code", flat=True))
    assert villages and all(v[:8] in declared["regions"] for v in villages)
