"""Check the witnesses page /log/saksi/ in real chromium: content and WCAG 2.1 AA (axe-core)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import transaction
from playwright.sync_api import Page
from pytest_django.fixtures import Settings
from tests.browser.axe import wcag_violations

from terbuka.tlog.cosignature import CosignatureSigner
from terbuka.tlog.note import generate_key
from terbuka_web.transparency.models import WitnessCosignature
from terbuka_web.transparency.services import entry_append, log_sequence

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_witnesses_page_is_accessible(live_server, page: Page, settings: Settings) -> None:
    skey, _ = generate_key("test.terbuka.example/log")
    witnesses = [CosignatureSigner.generate(f"saksi-{g}.test") for g in ("bpk", "warga")]
    config = [
        {"name": w.name, "vkey": w.vkey, "url": "http://127.0.0.1:9", "group": g}
        for w, g in zip(witnesses, ("auditor", "warga"), strict=True)
    ]
    settings.TERBUKA = {
        **settings.TERBUKA,
        "LOG_ORIGIN": "test.terbuka.example/log",
        "LOG_KEY": skey,
        "WITNESSES": json.dumps(config),
    }
    with transaction.atomic():
        entry_append(kind="test", ref="r0", payload={"k": 0})
    checkpoint = log_sequence()
    text = checkpoint.note.split("\n\n")[0] + "\n"
    signature = witnesses[0].cosign(text, 1_780_000_000)
    WitnessCosignature.objects.create(
        checkpoint=checkpoint,
        witness=witnesses[0].name,
        group="auditor",
        line=signature.line(),
        cosigned_at=dt.datetime.fromtimestamp(1_780_000_000, tz=dt.UTC),
    )
    page.goto(live_server.url + "/log/saksi/")
    assert page.get_by_role("heading", level=1).inner_text() == "Saksi log transparansi"
    table = page.get_by_role("table")
    assert "saksi-bpk.test" in table.inner_text() and "✓" in table.inner_text()
    assert wcag_violations(page) == []
