"""Test disbursement cycles: credits on the ledger with pseudonymous log entries and village
totals, refusals counted, the whole cycle refused on an evaluation error or a short fund,
repeats paying nobody twice, clawback, the zero-leakage check, the per-village API, and
`terbuka verify --programme --cycle` agreeing with the portal and catching a tampered total."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import Settings

from terbuka.cli.main import main as terbuka_main
from terbuka.errors import ValidationError
from terbuka.money.errors import IdempotencyConflict, PostingUnbalanced
from terbuka.money.posting import posting_parse
from terbuka.registry.identity import kk_hash, nik_hash
from terbuka.rules.errors import RuleEvaluationError
from terbuka.tlog.note import generate_key
from terbuka_web.accounts.models import Agency, Role, User
from terbuka_web.benefits.audit import cycle_leakage
from terbuka_web.benefits.cycles import ENTITLEMENT_DAYS, cycle_clawback, cycle_run
from terbuka_web.benefits.keys import hmac_key
from terbuka_web.benefits.models import Cycle, CycleItem, Programme
from terbuka_web.benefits.registry import registry_import
from terbuka_web.ledger.models import Account, Posting
from terbuka_web.ledger.services import posting_record, postings_record
from terbuka_web.transparency.models import LogEntry
from terbuka_web.transparency.selectors import policy_current
from terbuka_web.transparency.services import log_export, log_sequence

from .conftest import CASH, Consortium, person, programme_new, propose, registry_bytes

A, B = "35.22.01.2001", "35.22.02.2001"


def _people() -> list[dict[str, object]]:
    people = [person(i, A if i % 2 else B, desil=1 + i % 5) for i in range(12)]
    people += [person(20, A, meninggal=1), person(21, B, desil=9)]
    people.append(dict(people[0]))  # duplicate NIK: both rows refused
    return people


@pytest.fixture
def adopted(region: list[Agency], consortium: Consortium) -> Programme:
    registry_import(actor=None, filename="r.csv", data=registry_bytes(_people()))
    programme = programme_new()
    consortium.adopt(propose(programme))
    programme.refresh_from_db()
    return programme


def _fund(programme: Programme) -> int:
    return Account.objects.get(key=f"programme:{programme.slug}").balance


def test_a_cycle_credits_each_eligible_registrant_and_logs_per_village(
    adopted: Programme, client: Client
) -> None:
    assert _fund(adopted) == adopted.budget  # funded from the treasury on adoption
    cycle = cycle_run(programme=adopted, chunk=3)
    assert cycle.number == 1 and cycle.status == Cycle.Status.DONE
    items = list(CycleItem.objects.filter(cycle=cycle))
    # desil 1–3 of 12 (minus the duplicated person 0, desil 1): persons 1,2,5,6,7,10,11
    assert len(items) == 7 == CycleItem.objects.filter(cycle=cycle).credited().count()
    total = sum(i.amount for i in items)
    assert _fund(adopted) == adopted.budget - total
    credits = [
        json.loads(bytes(e.data))
        for e in LogEntry.objects.filter(kind="benefit.credit").order_by("id")
    ]
    # Written, credited and logged in pseudonym order (the keys fill their indexes in order).
    written = [i.pseudonym for i in sorted(items, key=lambda i: i.pk)]
    assert written == sorted(written) == [c["pseudonym"] for c in credits]
    assert {c["programme"] for c in credits} == {"blt-uji"} and {c["cycle"] for c in credits} == {1}
    assert set(credits[0]) == {"kind", "programme", "cycle", "pseudonym", "amount", "village_code"}
    totals = {
        e["village_code"]: e["credited"]
        for e in (json.loads(bytes(x.data)) for x in LogEntry.objects.filter(
            kind="benefit.village_total"))
    }  # fmt: skip
    rows = json.loads(client.get("/api/benefits/programmes/blt-uji/cycles/1/villages").content)
    assert {r["village_code"]: r["credited"] for r in rows} == totals
    assert sum(totals.values()) == total
    by_code = {r["village_code"]: r for r in rows}
    # A: deceased person 20, persons 3, 9 ineligible; B: duplicate pair, persons 4, 8, 21
    assert by_code[A]["refused"] == 1 + 2 and by_code[B]["refused"] == 2 + 3
    assert set(rows[0]) == {"village_code", "allocated", "credited", "spent", "clawed_back",
                            "refused"}  # fmt: skip
    listed = json.loads(client.get("/api/benefits/programmes").content)
    assert listed[0]["cycles"] == [1]
    assert client.get("/api/benefits/programmes/blt-uji/cycles/2/villages").status_code == 404
    assert cycle_leakage(cycle).ok


def test_a_second_run_is_a_new_cycle_and_a_repeated_credit_is_a_no_op(adopted: Programme) -> None:
    first = cycle_run(programme=adopted, chunk=3)
    second = cycle_run(programme=adopted)
    assert (first.number, second.number) == (1, 2)
    pseudonyms = set(CycleItem.objects.filter(cycle=first).values_list("pseudonym", flat=True))
    again = CycleItem.objects.filter(cycle=second).values_list("pseudonym", flat=True)
    assert pseudonyms == set(again)
    # A posting per chunk, as a voucher has a line per payee: the fund's debit, then each
    # entitlement's credit in pseudonym order, keyed by the first and last pseudonym.
    items = list(CycleItem.objects.filter(cycle=first).order_by("id"))
    vouchers = [posting_parse(bytes(c, "utf-8")) for c in
                Posting.objects.filter(key__startswith="cycle:blt-uji:1:").values_list(
                    "canonical", flat=True).order_by("id")]  # fmt: skip
    assert [v.key for v in vouchers] == [
        f"cycle:blt-uji:1:{part[0].pseudonym}-{part[-1].pseudonym}"
        for part in (items[0:3], items[3:6], items[6:])
    ]
    assert [(leg.account, leg.side.value, leg.amount) for leg in vouchers[0].legs] == [
        ("programme:blt-uji", "debit", sum(i.amount for i in items[:3])),
        *((f"entitlement:blt-uji:1:{i.pseudonym}", "credit", i.amount) for i in items[:3]),
    ]
    before = Posting.objects.count()
    assert postings_record(postings=vouchers).created == 0  # the same content: a no-op
    fund, entitlement = (leg.account for leg in vouchers[0].legs[:2])
    with pytest.raises(IdempotencyConflict):  # the same key, other content
        posting_record(key=vouchers[0].key, legs=[(fund, "debit", 1), (entitlement, "credit", 1)])
    with pytest.raises(PostingUnbalanced):
        posting_record(key="x-unbalanced", legs=[(fund, "debit", 1), (entitlement, "credit", 2)])
    assert Posting.objects.count() == before


def test_an_evaluation_error_refuses_the_whole_cycle_naming_the_row(
    region: list[Agency], consortium: Consortium
) -> None:
    registry_import(actor=None, filename="r.csv", data=registry_bytes(
        [person(1, desil=1), person(2, desil=2), person(3, desil=3)]))  # fmt: skip
    programme = programme_new()
    rules = {**CASH, "entitlement": 'today < "2030" || desil != 2 ? 3000 : 3000 / (desil - 2)'}
    consortium.adopt(propose(programme, rules))
    programme.refresh_from_db()
    entries = LogEntry.objects.count()
    with pytest.raises(RuleEvaluationError, match="baris 3: "):
        cycle_run(programme=programme, today=dt.date(2031, 1, 1))
    assert not Cycle.objects.exists() and not CycleItem.objects.exists()
    assert not Posting.objects.filter(key__startswith="cycle:").exists()
    assert LogEntry.objects.count() == entries


def test_a_short_fund_refuses_the_cycle(region: list[Agency], consortium: Consortium) -> None:
    registry_import(actor=None, filename="r.csv", data=registry_bytes(_people()))
    programme = programme_new(budget=500_000)
    consortium.adopt(propose(programme))
    programme.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        cycle_run(programme=programme)
    assert caught.value.where == "fund" and "tidak cukup" in caught.value.message_id
    assert not Cycle.objects.exists() and _fund(programme) == 500_000


def test_unspent_entitlements_are_clawed_back_after_expiry(
    adopted: Programme, client: Client
) -> None:
    cycle = cycle_run(programme=adopted)
    item = CycleItem.objects.filter(cycle=cycle).order_by("id").first()
    assert item is not None
    spent = item.amount // 3  # the registrant spends a third at a merchant
    posting_record(key="spend-1", legs=[(f"entitlement:blt-uji:1:{item.pseudonym}", "debit",
                   spent), ("merchant:warung-1", "credit", spent)])  # fmt: skip
    assert cycle_clawback(programme=adopted, today=cycle.expires_on) == 0  # not expired yet
    later = cycle.expires_on + dt.timedelta(days=1)
    allocated = sum(CycleItem.objects.filter(cycle=cycle).values_list("amount", flat=True))
    assert cycle_clawback(programme=adopted, today=later) == allocated - spent
    assert cycle_clawback(programme=adopted, today=later) == 0  # once
    assert _fund(adopted) == adopted.budget - spent
    leakage = cycle_leakage(cycle)
    assert leakage.ok and (leakage.spent, leakage.clawed_back, leakage.unspent) == (
        spent, allocated - spent, 0)  # fmt: skip
    rows = json.loads(client.get("/api/benefits/programmes/blt-uji/cycles/1/villages").content)
    assert sum(r["spent"] for r in rows) == spent
    assert sum(r["clawed_back"] for r in rows) == allocated - spent
    assert LogEntry.objects.filter(kind="benefit.clawback").exists()
    started = timezone.localdate(cycle.started_at)
    assert (cycle.expires_on - started).days == ENTITLEMENT_DAYS


def test_leakage_to_another_account_is_found(adopted: Programme) -> None:
    cycle = cycle_run(programme=adopted)
    item = CycleItem.objects.filter(cycle=cycle).first()
    assert item is not None
    posting_record(key="leak-1", legs=[(f"entitlement:blt-uji:1:{item.pseudonym}", "debit", 1000),
                   ("settlement:bank-x", "credit", 1000)])  # fmt: skip
    leakage = cycle_leakage(cycle)
    assert not leakage.ok and leakage.elsewhere == 1000


def test_verify_agrees_with_the_portal_and_catches_a_tampered_total(
    adopted: Programme, settings: Settings, tmp_path: Path, client: Client,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    skey, _ = generate_key("test.terbuka.example/log")
    settings.TERBUKA = {**settings.TERBUKA, "LOG_ORIGIN": "test.terbuka.example/log",
                        "LOG_KEY": skey}  # fmt: skip
    cycle_run(programme=adopted)
    log_sequence()
    export = tmp_path / "ekspor"
    log_export(directory=export)
    policy = tmp_path / "kebijakan.txt"
    policy.write_text(policy_current())
    published = tmp_path / "desa.json"
    answer = client.get("/api/benefits/programmes/blt-uji/cycles/1/villages").content
    published.write_bytes(answer)
    args = ["verify", str(export), "--policy", str(policy), "--state", str(tmp_path / "s.json"),
            "--programme", "blt-uji", "--cycle", "1", "--published", str(published)]  # fmt: skip
    assert terbuka_main(args) == 0, capsys.readouterr().out
    assert "7 kredit" in capsys.readouterr().out
    rows = json.loads(answer)
    rows[0]["credited"] += 100_000
    published.write_text(json.dumps(rows))
    assert terbuka_main(args) == 1
    out = capsys.readouterr().out
    assert "BERBEDA" in out and rows[0]["village_code"] in out
    assert terbuka_main([*args[:-4], "--cycle", "9", "--published", str(published)]) == 1
    # A cycle that has just run, not yet in a witnessed checkpoint: said so, not "tampering" alone.
    cycle_run(programme=adopted)
    published.write_bytes(client.get("/api/benefits/programmes/blt-uji/cycles/2/villages").content)
    capsys.readouterr()
    assert terbuka_main([*args[:-4], "--cycle", "2", "--published", str(published)]) == 1
    out = capsys.readouterr().out
    assert "holds no village totals of cycle 2 of programme blt-uji (0 credits)" in out
    assert "run this again in a minute" in out and "ulangi sebentar lagi" in out
    assert terbuka_main([*args[:-4], "--published", str(published)]) == 2  # no --cycle


def test_no_cycle_output_reveals_a_registrant(adopted: Programme, client: Client) -> None:
    cycle_run(programme=adopted)
    key = hmac_key()
    secrets = set()
    for row in _people():
        nik, kk = str(row["nik"]), str(row["no_kk"])
        secrets |= {nik, kk, str(row["nama"]), str(row["alamat"])}
        secrets |= {nik_hash(key, nik), kk_hash(key, kk)}
    texts = [bytes(e.data).decode() for e in LogEntry.objects.all()]
    for url in ["/api/benefits/programmes", "/api/benefits/programmes/blt-uji/cycles/1/villages",
                "/bantuan/blt-uji/"]:  # fmt: skip
        texts.append(client.get(url).content.decode())
    texts += [a.key for a in Account.objects.all()] + [p.canonical for p in Posting.objects.all()]
    blob = "\n".join(texts)
    assert sorted(s for s in secrets if s in blob) == []
    assert "benefit.credit" in blob


def test_the_audit_page_and_csv_are_for_auditors(adopted: Programme, client: Client) -> None:
    cycle_run(programme=adopted)
    page, export = "/bantuan/blt-uji/siklus/1/audit/", "/bantuan/blt-uji/siklus/1/audit.csv"
    assert client.get(page).status_code == 302  # to the login page
    other = Agency.objects.get(code="3522-dpupr")
    client.force_login(User.objects.create_user("ppk.pu", role=Role.PPK, agency=other))
    assert client.get(page).status_code == 403 and client.get(export).status_code == 403
    client.force_login(User.objects.create_user("aud", role=Role.AUDITOR))
    html = client.get(page).content.decode()
    assert "Pemeriksaan nol kebocoran" in html and A in html and "usa-alert--success" in html
    assert client.get("/bantuan/blt-uji/siklus/7/audit/").status_code == 404
    rows = list(csv.DictReader(io.StringIO(client.get(export).content.decode())))
    api = json.loads(client.get("/api/benefits/programmes/blt-uji/cycles/1/villages").content)
    assert [int(r["credited"]) for r in rows] == [r["credited"] for r in api]
    assert {r["village_code"]: int(r["deceased"]) for r in rows}[A] == 1
    assert "/bantuan/blt-uji/siklus/1/audit/" in client.get("/bantuan/blt-uji/").content.decode()


def test_the_commands_disburse_and_claw_back(adopted: Programme) -> None:
    out = io.StringIO()
    call_command("terbuka_benefits", "disburse", "blt-uji", "--chunk", "2", stdout=out)
    assert "siklus / cycle 1" in out.getvalue() and "dikreditkan / credited: 2" in out.getvalue()
    cycle = Cycle.objects.get()
    later = (cycle.expires_on + dt.timedelta(days=1)).isoformat()
    call_command("terbuka_benefits", "clawback", "blt-uji", "--today", later, stdout=out)
    allocated = sum(CycleItem.objects.values_list("amount", flat=True))
    assert f"clawed back: {allocated} Rupiah" in out.getvalue()
    with pytest.raises(CommandError, match="not found"):
        call_command("terbuka_benefits", "disburse", "tidak-ada")


def test_the_audit_xlsx_holds_the_csv_s_numbers_and_no_identity(
    adopted: Programme, client: Client
) -> None:
    cycle_run(programme=adopted)
    export = "/bantuan/blt-uji/siklus/1/audit.xlsx"
    assert client.get(export).status_code == 302  # to the login page
    client.force_login(
        User.objects.create_user(
            "ppk.pu", role=Role.PPK, agency=Agency.objects.get(code="3522-dpupr")
        )
    )
    assert client.get(export).status_code == 403
    client.force_login(User.objects.create_user("aud", role=Role.AUDITOR))
    response = client.get(export)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="audit-blt-uji-siklus-1.xlsx"' in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    csv_rows = list(csv.reader(io.StringIO(client.get(export[:-4] + "csv").content.decode())))
    assert rows[0] == csv_rows[0] and len(rows) == len(csv_rows) == 3
    for got, want in zip(rows[1:], csv_rows[1:], strict=True):
        assert got[0] == want[0] and all(type(v) is int for v in got[1:])
        assert got[1:] == [int(v) for v in want[1:]]
    key = hmac_key()
    text = repr(rows)
    for row in _people():
        for secret in (row["nik"], row["no_kk"], row["nama"], row["alamat"],
                       nik_hash(key, str(row["nik"]))):  # fmt: skip
            assert str(secret) not in text
    assert not any(item.pseudonym in text for item in CycleItem.objects.all())
