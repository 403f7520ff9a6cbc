"""Check the project boots against the configured database."""

from __future__ import annotations

import pytest
from django.db import connection

from terbuka_web.regions.models import Region


@pytest.mark.django_db
def test_database_round_trip() -> None:
    Region.objects.create(code="35", name="Jawa Timur", level=Region.Level.PROVINCE)
    assert Region.objects.get(code="35").name == "Jawa Timur"
    assert connection.vendor in {"sqlite", "postgresql"}
