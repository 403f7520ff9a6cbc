"""`terbuka demo`: a small real run through the contracting services, idempotence, and OCDS
1.1.5 validity of every published release."""

from __future__ import annotations

import datetime as dt
import io
import json
import stat
from collections import Counter
from pathlib import Path

import pypdf
import pytest
from django.core.management import call_command
from django.test import Client
from pytest_django.fixtures import Settings
from rdflib import Graph
from rdflib.namespace import DCAT, DCTERMS, RDF

from terbuka.canonical import canonical_json
from terbuka.money.keys import wallet_key_generate
from terbuka.money.walletfile import wallet_file_read
from terbuka_web.accounts.models import Agency, AuditEvent, User
from terbuka_web.benefits.models import Cycle
from terbuka_web.budget.models import BudgetBatch
from terbuka_web.common.demo import road as road_module
from terbuka_web.common.demo.seed import DEMO_ACCOUNTS, demo_seed
from terbuka_web.contracting.models import Document, Process, Release
from terbuka_web.ledger.selectors import ledger_check
from terbuka_web.participation.models import SurveyAnswer
from terbuka_web.regions.models import Region
from terbuka_web.transparency.models import LogEntry
from terbuka_web.wallets.models import Grievance, Merchant, Payment, Wallet

from .ocds_schema import package_validate

pytestmark = pytest.mark.django_db(transaction=False)

STAGES = ["planning", "tender", "award", "contract", "implementation"]


@pytest.fixture(autouse=True)
def data_dir(settings: Settings, tmp_path: Path) -> Path:
    """Let `terbuka demo` write its witness consortium under the test's directory, and give
    the server an allowance issuer key (as `make demo` does) for the offline payments."""
    settings.DATA_DIR = tmp_path
    issuer = wallet_key_generate()
    (tmp_path / "issuer.pem").write_bytes(issuer.pem())
    (tmp_path / "issuer.pem").chmod(0o600)
    settings.TERBUKA = {**settings.TERBUKA, "WALLET_ISSUER": issuer.did,
                        "WALLET_ISSUER_KEY_FILE": str(tmp_path / "issuer.pem")}  # fmt: skip
    return tmp_path


def demo(*args: str) -> str:
    out = io.StringIO()
    call_command("terbuka_demo", "--processes", "20", "--quiet", *args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        "regions": Region.objects.count(),
        "agencies": Agency.objects.count(),
        "users": User.objects.count(),
        "processes": Process.objects.count(),
        "releases": Release.objects.count(),
        "documents": Document.objects.count(),
        "log": LogEntry.objects.exclude(kind__startswith="governance.")
        .exclude(kind__in=["decision", "scope.version", "budget.batch"])
        .exclude(kind__startswith="participation.")
        .exclude(kind__startswith="benefit.")
        .exclude(kind__startswith="wallet.")
        .count(),
        "lapor": LogEntry.objects.filter(kind="participation.case").count(),
        "surveys": SurveyAnswer.objects.count(),
        "survey_log": LogEntry.objects.filter(kind="participation.survey").count(),
        "budget_log": LogEntry.objects.filter(kind="budget.batch").count(),
        "budget_batches": BudgetBatch.objects.count(),
        "benefit_rules": LogEntry.objects.filter(kind="benefit.rules").count(),
        "benefit_cycles": Cycle.objects.filter(status=Cycle.Status.DONE).count(),
        "governance": LogEntry.objects.filter(kind__startswith="governance.").count(),
        "audit": AuditEvent.objects.exclude(action="regions:region:load").count(),
        "wallet_log": LogEntry.objects.filter(kind__startswith="wallet.").count(),
    }


def test_demo_seeds_publishes_and_is_idempotent(data_dir: Path, settings: Settings) -> None:
    # a fresh shell without TERBUKA_DEBUG or TERBUKA_DEMO: the demo makes the keys it needs
    settings.TERBUKA = {**settings.TERBUKA, "LOG_KEY_GENERATE": False}
    first_output = demo()
    keys = [data_dir / "registry-hmac.key", data_dir / "registry-seal.key"]
    assert {stat.S_IMODE(k.stat().st_mode) for k in keys} == {0o600}
    assert "demo witness consortium" in first_output
    assert len(json.loads((data_dir / "witnesses.json").read_text())) == 3
    first = counts()
    assert first["processes"] == 20
    assert first["agencies"] == 75 + 3  # and the three Pemerintah Desa of the reports demo
    assert "demo citizens' reports: 32" in first_output
    assert Region.objects.filter(code__startswith="35.22.", level="village").count() == 430
    assert not Region.objects.exclude(code__startswith="35").exists()
    for username, _role, _agency, password in DEMO_ACCOUNTS:
        assert password in first_output
        assert User.objects.get(username=username).check_password(password)
    assert first["governance"] > 0  # the demo governance consortium (test_demo_consortium)
    assert first["lapor"] > 0  # the citizens' reports (participation.case entries)
    assert first["surveys"] > 60  # closed cases rated, 5 agencies × 12 visit tokens answered
    assert SurveyAnswer.objects.filter(case__isnull=False).exists()
    assert SurveyAnswer.objects.filter(comment_state="published").count() == 5
    assert first["survey_log"] > first["surveys"]  # each answer, two questions, 5 comments
    assert first["benefit_rules"] == 2  # two programmes adopted by decisions (demo/benefits.py)
    assert first["benefit_cycles"] == 3  # completed cycles: two of blt-desil, one flood relief
    _demo_wallets_check(data_dir)
    # merchants, enrolments, online payments, 2 allowances, 4 offline payments synced
    assert first["wallet_log"] == 12 + 8 + 16 + 2 + 4
    # every release and every newly published document was logged in its transaction
    assert first["log"] == first["releases"] + first["documents"]
    assert first["budget_log"] == first["budget_batches"] > 1000  # each budget batch logged
    assert Document.objects.filter(release__isnull=True).count() == 0

    second_output = demo()
    assert counts() == first
    assert "0 baru / new" in second_output and "demo-admin-2026" not in second_output


def _demo_wallets_check(data_dir: Path) -> None:
    """Merchants of three categories in four villages, eight enrolled wallets whose key files
    (0600) pay online (two offline too, one double spend queued), and `terbuka wallet
    merchants` listing the merchants."""
    files = sorted((data_dir / "demo-wallets").iterdir())
    assert len(files) == Wallet.objects.count() == 8
    assert {stat.S_IMODE(f.stat().st_mode) for f in files} == {0o600}
    for path in files:
        wallet = wallet_file_read(path)
        held = [signed.allowance for signed, _spent in wallet.allowances.values()]
        ends = [a.start + a.count - 1 for a in held]
        # the server's head skips an allowance's counters (docs/wallet.md)
        assert Wallet.objects.get(did=wallet.key.did).counter == max([wallet.counter, *ends])
        assert wallet.counter > 0
    merchants = Merchant.objects.all()
    assert {m.category for m in merchants} == {"atk", "warung", "apotek"}
    assert len({m.village_id for m in merchants}) == 4
    assert Payment.objects.count() == 16 + 4 and ledger_check().ok
    assert Payment.objects.filter(offline=True).count() == 4
    assert list(Grievance.objects.values_list("reason", flat=True)) == ["counter"]
    out = io.StringIO()
    call_command("terbuka_wallets", "merchants", stdout=out)
    assert len(out.getvalue().splitlines()) == merchants.count()


def test_demo_releases_are_valid_ocds_115_and_showcase_has_real_pdfs() -> None:
    demo()
    showcase = Process.objects.get(title="Pengadaan bangku taman kota")
    assert showcase.stages_published == STAGES
    assert showcase.agency.code == "3522-dpupr"
    types = set(showcase.documents.values_list("document_type", flat=True))
    # DPA, Renja, KAK (planning and tender) and jadwal
    expected = {"procurementPlan", "projectPlan", "needsAssessment", "technicalSpecifications"}
    assert expected | {"contractSchedule"} <= types
    for document in showcase.documents.all():
        with document.file.open("rb") as f:
            data = f.read()
        reader = pypdf.PdfReader(io.BytesIO(data), strict=True)
        text = reader.pages[0].extract_text()
        assert "Pengadaan bangku taman kota" in text
        assert "KABUPATEN BOJONEGORO" in text
    jadwal = showcase.documents.get(document_type="contractSchedule")
    with jadwal.file.open("rb") as f:
        assert "JADWAL PELAKSANAAN" in pypdf.PdfReader(f).pages[0].extract_text()

    road = Process.objects.get(title=road_module.TITLE)  # the road-works story
    road_tags = [t for tags in road.releases.values_list("tags", flat=True) for t in tags]
    assert road.releases.count() == 9 and road.stages_published == STAGES
    assert {"tenderAmendment", "contractAmendment", "implementationUpdate"} <= set(road_tags)

    releases = list(Release.objects.order_by("id").values_list("data", flat=True))
    package_validate(
        {
            "uri": "https://terbuka.example/demo.json",
            "publishedDate": "2026-11-28T00:00:00+07:00",
            "publisher": {"name": "Pemerintah Kabupaten Bojonegoro"},
            "version": "1.1",
            "releases": releases,
        },
        "release",
    )
    tags = Counter(tag for release in releases for tag in release["tag"])
    assert set(STAGES) <= set(tags)
    for release in releases:
        for party in release.get("parties", []):
            if "supplier" in party["roles"]:
                npwp = party["identifier"]["id"]
                assert len(npwp) == 16 and npwp.startswith("0"), npwp
    methods = {p.method for p in Process.objects.all()}
    assert len(methods - {""}) >= 2
    years = {p.fiscal_year for p in Process.objects.all()}
    assert years <= {2023, 2024, 2025, 2026} and len(years) >= 2
    assert all(len(canonical_json(r)) < 64 * 1024 for r in releases)


def test_demo_accounts_are_documented() -> None:
    guide = (Path(__file__).resolve().parents[2] / "docs" / "demo.md").read_text("utf-8")
    for username, _role, _agency, password in DEMO_ACCOUNTS:
        assert f"| `{username}` |" in guide and f"`{password}`" in guide, username
    for option in ("--processes", "--all-regions", "--seed", "--quiet"):
        assert f"`{option}" in guide, option


def test_a_later_run_resumes_the_same_processes() -> None:
    demo_seed(processes=8, today=dt.date(2026, 2, 20))
    early = {p.title: list(p.stages_published) for p in Process.objects.all()}
    demo_seed(processes=8, today=dt.date(2026, 11, 28))
    late = {p.title: list(p.stages_published) for p in Process.objects.all()}
    assert set(early) == set(late) and len(late) == 8
    assert all(late[title][: len(stages)] == stages for title, stages in early.items())
    assert sum(map(len, late.values())) > sum(map(len, early.values()))
    updates = 4  # the road story's amendments and later progress reports (demo/road.py)
    assert Release.objects.count() == sum(map(len, late.values())) + updates


def test_an_interrupted_run_loses_only_its_batch_and_the_next_run_completes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from terbuka_web.common.demo import seed

    today = dt.date(2026, 11, 28)
    monkeypatch.setattr(seed, "PROCESSES_PER_COMMIT", 3)
    created = seed.process_create

    def interrupted_at_the_fifth(**kwargs: object) -> Process:
        if Process.objects.count() == 4:  # the second process of the second batch
            raise RuntimeError("interrupted")
        return created(**kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(seed, "process_create", interrupted_at_the_fifth)
    with pytest.raises(RuntimeError):
        demo_seed(processes=7, today=today)
    assert Process.objects.count() == 3  # the first batch; the second rolled back whole
    updates = 4  # the road story's amendments and later progress reports (demo/road.py)
    stages = sum(len(p.stages_published) for p in Process.objects.all())
    assert Release.objects.count() == stages + updates
    monkeypatch.setattr(seed, "process_create", created)
    demo_seed(processes=7, today=today)
    processes = list(Process.objects.all())
    assert len(processes) == 7 and len({(p.agency_id, p.title) for p in processes}) == 7
    assert all(p.stages_published for p in processes)
    stages = sum(len(p.stages_published) for p in processes)
    assert Release.objects.count() == stages + updates


def test_the_demo_catalogue_lists_every_apps_data_and_every_download_answers(
    client: Client,
) -> None:
    demo()
    listed = client.get("/api/3/action/package_list").json()["result"]
    assert set(listed) >= {
        "pengadaan-ocds", "wilayah-kemendagri", "log-transparansi", "tanda-bahaya",
        "anggaran-apbd-apbdes", "keputusan-konsorsium", "indeks-keterbukaan",
        "bantuan-per-desa", "laporan-warga",
    }  # fmt: skip
    graph = Graph().parse(data=client.get("/data/catalog.ttl").content, format="turtle")
    for name in listed:
        package = client.get("/api/3/action/package_show", {"id": name}).json()["result"]
        assert package["license_id"], name
        for resource in package["resources"]:
            if resource["resource_type"] == "api":  # an access point, e.g. the tile root
                continue
            path = "/" + resource["url"].split("://", 1)[1].split("/", 1)[1]
            response = client.get(path)
            if path.startswith("/api/ocds/bulk/"):  # built by serve's bulk worker, not here
                assert response.status_code in (200, 503), path
            elif path == "/log/checkpoint":  # signed by serve's sequencer, not here
                assert response.status_code in (200, 404), path
            else:
                assert response.status_code == 200, path
    datasets = list(graph.subjects(RDF.type, DCAT.Dataset))
    assert len(datasets) == len(listed)
    for dataset in datasets:  # DCAT-AP: the licence and the URL are the distribution's
        distributions = list(graph.objects(dataset, DCAT.distribution))
        assert distributions, dataset
        for dist in distributions:
            assert graph.value(dist, DCTERMS.license) is not None, dist
            assert graph.value(dist, DCAT.accessURL) is not None, dist
