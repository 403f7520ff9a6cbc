"""Run axe-core (WCAG 2.1 A and AA rules) on a Playwright page and summarise violations."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def wcag_violations(page: Page) -> list[str]:
    """Return one line per axe violation (rule id, impact, first target) on page, once its
    document has loaded: a click that submits a form returns when the next page is committed,
    before it is parsed (axe then finds no documentElement)."""
    page.wait_for_load_state()
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    return [
        f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']} — {v['help']}"
        for v in results.response["violations"]
    ]
