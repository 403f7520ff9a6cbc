"""A completed or refused disbursement cycle is notified to the programme's officers only."""

from __future__ import annotations

import pytest

from terbuka.errors import ValidationError
from terbuka_web.accounts.models import Agency, Role, User
from terbuka_web.benefits.cycles import cycle_run
from terbuka_web.benefits.registry import registry_import
from terbuka_web.notifications.models import Notification

from .conftest import Consortium, dinsos, person, programme_new, propose, registry_bytes


def officers() -> None:
    for name, role, agency in (
        ("pa.dinsos", Role.PA, dinsos()), ("ppk.dinsos", Role.PPK, dinsos()),
        ("operator.dinsos", Role.OPERATOR, dinsos()),
        ("pa.lain", Role.PA, Agency.objects.exclude(pk=dinsos().pk).first()),
    ):  # fmt: skip
        User.objects.create_user(
            username=name, password=None, role=role, agency=agency, email=f"{name}@pemda.example"
        )


def test_a_completed_cycle_is_notified_with_its_totals(
    region: list[Agency], consortium: Consortium
) -> None:
    officers()
    people = [person(i, desil=1) for i in range(3)]
    registry_import(actor=None, filename="r.csv", data=registry_bytes(people))
    programme = programme_new()
    consortium.adopt(propose(programme))
    programme.refresh_from_db()
    cycle_run(programme=programme)
    done = Notification.objects.filter(kind="benefits.cycle_done").order_by("audience")
    assert [n.audience for n in done] == ["pa.dinsos", "ppk.dinsos"]
    assert done[0].subject == "Siklus 1 program Bantuan Tunai Uji selesai"
    assert "Rp 900.000 dikreditkan kepada 3 penerima" in done[0].body
    assert "/bantuan/blt-uji/" in done[0].body
    assert "Warga Fiktif" not in done[0].body


def test_a_refused_cycle_is_notified_though_nothing_else_is_written(
    region: list[Agency], consortium: Consortium
) -> None:
    officers()
    registry_import(actor=None, filename="r.csv", data=registry_bytes([person(1, desil=1)]))
    programme = programme_new(budget=100_000)
    consortium.adopt(propose(programme))
    programme.refresh_from_db()
    with pytest.raises(ValidationError):
        cycle_run(programme=programme)
    refused = Notification.objects.filter(kind="benefits.cycle_refused").order_by("audience")
    assert [n.audience for n in refused] == ["pa.dinsos", "ppk.dinsos"]
    assert "tidak cukup" in refused[0].body and programme.cycles.count() == 0
