"""Run axe-core (WCAG 2.1 A and AA rules) on a Playwright page and summarise violations."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def wcag_violations(page: Page) -> list[str]:
    """Return one line per axe violation (rule id, impact, first target) on page."""
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    return [
        f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']} — {v['help']}"
        for v in results.response["violations"]
    ]
