"""Fixtures for the Django tests: isolated media storage and users per role."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def isolated_media(settings: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """Store uploaded files under the test's temporary directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def search_cache_empty() -> None:
    """Start every test with an empty search cache, no remembered publication stamp and no
    kept category rows.

    Tests roll their rows back, so two tests can share a stamp that, in production, only
    one state of the data ever has (committed rows are never removed).
    """
    from django.core.cache import cache

    from terbuka_web.participation.reports import categories_forget
    from terbuka_web.portal.selectors import options_forget

    cache.clear()
    options_forget()
    categories_forget()  # a flush (TRUNCATE) of a transactional test sends no signal


@pytest.fixture
def bojonegoro(db: None) -> str:
    """Load Jawa Timur's province row and Kabupaten Bojonegoro (35.22) with its 458 children."""
    from terbuka_web.regions.services import regions_load

    regions_load(within="35.22")
    return "35.22"
