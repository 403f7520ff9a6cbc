"""Fixtures for the Django tests: isolated media storage and users per role."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def isolated_media(settings: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """Store uploaded files under the test's temporary directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
