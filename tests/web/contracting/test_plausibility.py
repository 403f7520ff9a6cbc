"""Stage forms: impossible values are errors, implausible ones need a recorded confirmation.

Before, a tender period from year 0201 to 9999-12-31, a budget and estimate of Rp 0, a
quantity of 0 and an award of Rp 5 billion against an estimate of Rp 0 were all published.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from terbuka.errors import ValidationError
from terbuka.ocds.stage_examples import EXAMPLE_STAGE_DATA
from terbuka_web.accounts.models import AuditEvent, Role
from terbuka_web.contracting import services
from terbuka_web.contracting.models import Process, Release, StageDraft

from .test_services import state

ROWS = {"MIN_NUM_FORMS": "0", "MAX_NUM_FORMS": "50", "INITIAL_FORMS": "0"}


def rows(key: str, items: list[dict[str, Any]]) -> dict[str, Any]:
    post = {f"{key}-{k}": v for k, v in ROWS.items()} | {f"{key}-TOTAL_FORMS": str(len(items))}
    for i, item in enumerate(items):
        post |= {f"{key}-{i}-{k}": v for k, v in item.items()}
    return post


def tender_post(**change: Any) -> dict[str, Any]:
    item = {"description": "Aspal", "quantity": "10", "unit": "m2", "unit_value": "1000"}
    item |= change.pop("item", {})
    post = {"method": "tender", "period_start": "2026-03-02", "period_end": "2026-03-16"}
    return post | {"hps": "1000000"} | change | rows("items", [item])


def award_post(**change: Any) -> dict[str, Any]:
    supplier = {"name": "CV Maju Jaya", "npwp": "01.234.567.8-901.000"}
    post = {"value": "1000000", "date": "2026-03-20", "status": "active"}
    return post | change | rows("suppliers", [supplier])


@pytest.fixture
def client(users: dict) -> Client:
    client = Client()
    client.force_login(users[Role.OPERATOR])
    return client


def test_tender_period_from_year_0201_to_9999_is_refused(client: Client, process: Process) -> None:
    before = state()
    post = tender_post(period_start="0201-03-02", period_end="9999-12-31")
    response = client.post(f"/kelola/proses/{process.pk}/tender/", post)
    page = response.content.decode()
    assert response.status_code == 400
    assert "tanggal 2 Maret 201 di luar tahun 2000–2100" in page
    assert "the date 2 March 201 is outside the years 2000–2100" in page
    assert 'id="id_period_start_error"' in page
    assert state() == before


def test_award_before_tender_opened_is_refused(client: Client, process: Process) -> None:
    response = client.post(f"/kelola/proses/{process.pk}/award/", award_post(date="2026-01-02"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "tanggal 2 Januari 2026 lebih awal dari pemilihan dimulai (2 Maret 2026)" in page
    assert "the date 2 January 2026 is before the tender opened (2 March 2026)" in page


def test_zero_budget_needs_a_confirmation_that_is_recorded(
    client: Client, process: Process, users: dict
) -> None:
    url = f"/kelola/proses/{process.pk}/planning/"
    post = {**EXAMPLE_STAGE_DATA["planning"], "amount": "0"}
    before = state()
    response = client.post(url, post)
    page = response.content.decode()
    assert response.status_code == 400
    assert 'name="confirm" value="zero_value:amount"' in page
    assert "a value of IDR 0 is implausible" in page
    assert state() == before
    response = client.post(url, {**post, "confirm": "zero_value:amount"})
    assert response.status_code == 302
    draft = StageDraft.objects.get(process=process, stage="planning")
    assert draft.data["amount"] == 0
    [confirmation] = draft.confirmations
    assert confirmation["key"] == "zero_value:amount"
    assert confirmation["user"] == users[Role.OPERATOR].username and confirmation["at"]
    event = AuditEvent.objects.filter(action="contracting:stage:save").latest("id")
    assert event.data == {"confirmed": ["zero_value:amount"]}


def test_zero_quantity_and_long_tender_need_confirmation(client: Client, process: Process) -> None:
    post = tender_post(period_end="2026-12-31", item={"quantity": "0"})
    response = client.post(f"/kelola/proses/{process.pk}/tender/", post)
    page = response.content.decode()
    assert response.status_code == 400
    assert 'value="zero_quantity:items/0/quantity"' in page
    assert 'value="long_period:period_end"' in page
    confirmed = {"confirm": ["zero_quantity:items/0/quantity"]}
    response = client.post(f"/kelola/proses/{process.pk}/tender/", post | confirmed)
    assert response.status_code == 400  # one of two confirmed is not enough
    confirmed["confirm"].append("long_period:period_end")
    response = client.post(f"/kelola/proses/{process.pk}/tender/", post | confirmed)
    assert response.status_code == 302


def test_award_above_a_zero_estimate_is_confirmed_then_published_with_its_record(
    process: Process, users: dict
) -> None:
    operator, ppk = users[Role.OPERATOR], users[Role.PPK]
    zero_planning = {**EXAMPLE_STAGE_DATA["planning"], "amount": 0}
    zero_tender = {**EXAMPLE_STAGE_DATA["tender"], "hps": 0}
    award = {**EXAMPLE_STAGE_DATA["award"], "value": 5_000_000_000}
    save = services.stage_draft_save
    save(
        user=operator,
        process=process,
        stage="planning",
        data=zero_planning,
        confirmed=["zero_value:amount"],
    )
    with pytest.raises(services.UnconfirmedWarnings) as info:
        save(user=operator, process=process, stage="tender", data=zero_tender)
    assert [w.key for w in info.value.warnings] == ["zero_value:hps"]
    save(
        user=operator,
        process=process,
        stage="tender",
        data=zero_tender,
        confirmed=["zero_value:hps"],
    )
    with pytest.raises(services.UnconfirmedWarnings) as info:
        save(user=operator, process=process, stage="award", data=award)
    keys = [w.key for w in info.value.warnings]
    assert keys == ["above_tender:value", "above_planning:value"]
    assert (
        "IDR 5,000,000,000 exceeds the estimate (HPS) of IDR 0" in info.value.warnings[0].message_en
    )
    save(user=operator, process=process, stage="award", data=award, confirmed=keys)
    for stage in ("planning", "tender", "award"):
        services.stage_publish(user=ppk, process=process, stage=stage)
    release = Release.objects.get(stage="award")
    assert [c["key"] for c in release.confirmations] == keys
    assert {c["user"] for c in release.confirmations} == {operator.username}
    event = AuditEvent.objects.filter(action="contracting:stage:publish").latest("id")
    assert event.data["confirmed"] == keys


def test_publish_refuses_a_warning_that_appeared_after_the_confirmation(
    process: Process, users: dict
) -> None:
    ppk = users[Role.PPK]
    services.stage_publish(user=ppk, process=process, stage="planning")
    services.stage_publish(user=ppk, process=process, stage="tender")
    StageDraft.objects.filter(process=process, stage="tender").update(
        data={**EXAMPLE_STAGE_DATA["tender"], "hps": 1}
    )  # the award (Rp 1.398.000.000) is now far above the estimate, and nobody confirmed it
    with pytest.raises(ValidationError) as info:
        services.stage_publish(user=ppk, process=process, stage="award")
    assert info.value.message_id.startswith(
        "nilai tidak lazim di tahap Pemenang belum dikonfirmasi "
        "(Rp 1.398.000.000 melebihi HPS Rp 1)"
    )
    assert not Release.objects.filter(stage="award").exists()


def test_publish_refusal_names_the_field_and_stage_in_words(process: Process, users: dict) -> None:
    ppk = users[Role.PPK]
    for stage in ("planning", "tender", "award"):
        services.stage_publish(user=ppk, process=process, stage=stage)
    StageDraft.objects.filter(process=process, stage="contract").update(
        data={**EXAMPLE_STAGE_DATA["contract"], "date_signed": "2026-03-01"}
    )  # signed before the award (20 March 2026): saved before the award changed, say
    client = Client()
    client.force_login(ppk)
    response = client.post(f"/kelola/proses/{process.pk}/contract/terbitkan/")
    page = response.content.decode()
    assert response.status_code == 400
    assert (
        "Tanggal tanda tangan (tahap Kontrak): tanggal 1 Maret 2026 lebih awal dari penetapan "
        "pemenang (20 Maret 2026) / Date signed (Contract stage): the date 1 March 2026 is "
        "before the award (20 March 2026)"
    ) in page
    assert "/date_signed" not in page and "2026-03-01" not in page
    assert not Release.objects.filter(stage="contract").exists()


def test_nul_in_stage_data_is_refused_by_the_service(process: Process, users: dict) -> None:
    data = {**EXAMPLE_STAGE_DATA["planning"], "project": "Jalan\x00"}
    with pytest.raises(ValidationError) as info:
        services.stage_draft_save(
            user=users[Role.OPERATOR], process=process, stage="planning", data=data
        )
    assert info.value.where == "/project" and "NUL" in info.value.message_en


# Generated values an operator (or a forged POST) may send: any date, any number, odd text.
DATES = st.dates().map(lambda d: d.isoformat()) | st.text(max_size=12)
NUMBERS = st.integers(-(10**20), 10**20).map(str) | st.sampled_from(["0", "1e400", "-0", "NaN"])
# A browser cannot send a lone surrogate (UTF-8 has none): the service test covers those.
TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=20) | st.just("a\x00b")


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    start=DATES,
    end=DATES,
    hps=NUMBERS,
    quantity=NUMBERS,
    description=TEXT,
    value=NUMBERS,
    date=DATES,
    confirm=st.booleans(),
)
def test_generated_form_input_is_saved_only_within_bounds(
    client: Client,
    process: Process,
    start: str,
    end: str,
    hps: str,
    quantity: str,
    description: str,
    value: str,
    date: str,
    confirm: bool,
) -> None:
    tender = tender_post(
        period_start=start,
        period_end=end,
        hps=hps,
        item={"quantity": quantity, "description": description},
    )
    award = award_post(value=value, date=date)
    for stage, post in (("tender", tender), ("award", award)):
        url = f"/kelola/proses/{process.pk}/{stage}/"
        response = client.post(url, post)
        if response.status_code == 400 and confirm:
            keys = [m for m in _confirm_keys(response.content.decode())]
            response = client.post(url, post | {"confirm": keys})
        assert response.status_code in (302, 400)
        draft = StageDraft.objects.get(process=process, stage=stage)
        if response.status_code == 302:
            assert all(
                len(v) == 10 and "2000" <= v[:4] <= "2100"
                for k, v in draft.data.items()
                if k in ("period_start", "period_end", "date")
            )
            assert "\x00" not in str(draft.data)


def _confirm_keys(page: str) -> list[str]:
    import re

    return re.findall(r'name="confirm" value="([^"]+)"', page)
