"""Test the governance pages: the register, proposal pages, vote and comment forms, disputes,
minutes, the secretariat's forms, the Atom feed; and that the admin offers no back door."""

from __future__ import annotations

import datetime as dt

from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from terbuka_web.accounts.models import Role, User
from terbuka_web.common.demo.pdf import pdf_render
from terbuka_web.governance.models import Decision, Dispute, Proposal, Vote
from terbuka_web.governance.services import interest_declare
from terbuka_web.transparency.services import entry_append

from .conftest import Seat, propose


def _admin(client: Client) -> User:
    user = User.objects.create_user("sekretariat", password="Sandi-panjang-42", role=Role.ADMIN)
    client.force_login(user)
    return user


def test_public_register_shows_members_interests_proposals_and_decisions(
    seats: list[Seat], client: Client
) -> None:
    interest_declare(actor=None, member=seats[1].member, kind="agency", value="dinas-pu")
    proposal = propose(touches={"agencies": ["dinas-pu"]})
    html = client.get("/konsorsium/").content.decode()
    assert seats[0].member.name in html and "dinas-pu" in html and proposal.title in html
    assert 'href="/cakupan/"' in html
    page = client.get(f"/konsorsium/usulan/{proposal.uid}/").content.decode()
    assert proposal.hash in page and seats[1].member.name in page  # the recusal is shown
    assert "vote.js" in page and "<script>" not in page


def test_the_vote_form_refuses_recused_bad_and_replayed_votes(
    seats: list[Seat], client: Client
) -> None:
    interest_declare(actor=None, member=seats[1].member, kind="agency", value="dinas-pu")
    proposal = propose(touches={"agencies": ["dinas-pu"]})
    url = f"/konsorsium/usulan/{proposal.uid}/suara/"
    response = client.post(url, {"vote": seats[1].vote(proposal)})
    assert response.status_code == 400
    assert "konflik kepentingan" in response.content.decode()
    assert "conflict of interest" in response.content.decode()
    forged = seats[0].vote(proposal).replace("choice yes", "choice no")
    assert "tanda tangan suara tidak sah" in client.post(url, {"vote": forged}).content.decode()
    assert client.post(url, {"vote": seats[0].vote(proposal)}).status_code == 302
    again = client.post(url, {"vote": seats[0].vote(proposal)})
    assert again.status_code == 400 and "replayed vote" in again.content.decode()
    assert Vote.objects.count() == 1 and not Decision.objects.exists()


def test_secretariat_creates_a_proposal_and_adds_minutes(seats: list[Seat], client: Client) -> None:
    assert client.get("/konsorsium/kelola/usulan/").status_code == 302  # login first
    _admin(client)
    deadline = (timezone.localtime() + dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    form = {
        "type": "charter_amend",
        "title": "Piagam: rapat terbuka",
        "body": "",
        "payload": '{"text": "Rapat konsorsium terbuka untuk umum."}',
        "deadline": deadline,
    }
    response = client.post("/konsorsium/kelola/usulan/", {**form, "payload": "[1]"})
    assert response.status_code == 400 and "objek JSON" in response.content.decode()
    response = client.post("/konsorsium/kelola/usulan/", form)
    proposal = Proposal.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"{proposal.uid}/")
    for seat in seats[:5] + seats[6:]:
        client.post(f"/konsorsium/usulan/{proposal.uid}/suara/", {"vote": seat.vote(proposal)})
    decision = Decision.objects.get()
    url = f"/konsorsium/kelola/keputusan/{decision.pk}/notula/"
    assert client.post(url, {"text": "Rapat 4 Desember: enam setuju."}).status_code == 302
    pdf = SimpleUploadedFile(
        "Notula rapat.pdf", pdf_render(title="Notula", lines=["Enam setuju."]), "application/pdf"
    )
    assert client.post(url, {"file": pdf}).status_code == 302
    html_pdf = SimpleUploadedFile("n.pdf", b"<html><script>x</script>", "application/pdf")
    refused = client.post(url, {"file": html_pdf})
    assert refused.status_code == 400 and "not a PDF" in refused.content.decode()
    assert decision.minutes.count() == 2
    stored = decision.minutes.get(filename="Notula rapat.pdf")
    served = client.get(f"/konsorsium/notula/{stored.pk}/")
    assert (
        served["Content-Type"] == "application/pdf"
        and "sandbox" in served["Content-Security-Policy"]
    )
    page = client.get("/konsorsium/").content.decode()
    assert "Notula" in page and "setuju</span>" not in page
    minutes = decision.minutes.get(filename="")
    assert client.get(f"/konsorsium/notula/{minutes.pk}/").content.decode().startswith("Rapat 4")
    feed = client.get("/konsorsium/keputusan.atom")
    assert feed["Content-Type"].startswith("application/atom+xml")
    assert proposal.hash in feed.content.decode()


def test_non_managers_cannot_create_proposals_or_minutes(seats: list[Seat], client: Client) -> None:
    auditor = User.objects.create_user("auditor1", password="Sandi-panjang-42", role=Role.AUDITOR)
    client.force_login(auditor)
    assert client.get("/konsorsium/kelola/usulan/").status_code == 403
    proposal = propose()
    for seat in seats[:5] + seats[6:]:
        client.post(f"/konsorsium/usulan/{proposal.uid}/suara/", {"vote": seat.vote(proposal)})
    decision = Decision.objects.get()
    response = client.post(
        f"/konsorsium/kelola/keputusan/{decision.pk}/notula/", {"text": "x" * 20}
    )
    assert response.status_code == 403
    assert not decision.minutes.exists()


def test_the_admin_has_no_governance_back_door(client: Client) -> None:
    registered = {model._meta.app_label for model in admin.site._registry}
    assert "governance" not in registered
    assert client.get("/admin/").status_code == 302


def test_citizen_opens_and_tracks_a_dispute_without_an_account(client: Client, db: None) -> None:
    entry_append(kind="release", ref="ocds-tbk352-1", payload={"ocid": "ocds-tbk352-1"})
    response = client.post(
        "/konsorsium/sengketa/",
        {"opener": "warga", "record": "ocds-tbk352-1", "description": "Nilai kontrak keliru."},
    )
    dispute = Dispute.objects.get()
    assert dispute.code in response.content.decode()
    tracked = client.get("/konsorsium/sengketa/lacak/", {"kode": dispute.code.lower()})
    assert "Nilai kontrak keliru" not in tracked.content.decode()
    assert dispute.record in tracked.content.decode()
    assert client.get("/konsorsium/sengketa/lacak/", {"kode": "NOPE"}).status_code == 404
    assert "Nilai kontrak keliru" not in client.get("/konsorsium/").content.decode()
