"""Publish the demo's road-works story (common/demo/road.py) through the real services."""

from __future__ import annotations

import datetime as dt

from pytest_django.fixtures import Settings

from terbuka.tlog.note import generate_key
from terbuka_web.accounts.models import Agency, Role, User
from terbuka_web.common.demo.generate import AgencyInfo
from terbuka_web.common.demo.road import road_story
from terbuka_web.common.demo.seed import ROAD_SUPPLIER, DemoResult, process_spec_publish
from terbuka_web.contracting.models import Process
from terbuka_web.transparency.services import log_sequence
from tests.web.factories import region_bojonegoro

TODAY = dt.date(2026, 12, 4)
ORIGIN = "story.terbuka.example/log"


def road_published(settings: Settings) -> Process:
    """Configure a fresh log key, publish the road story (road_publish) and sequence the log."""
    skey, _vkey = generate_key(ORIGIN)
    settings.TERBUKA = {**settings.TERBUKA, "LOG_ORIGIN": ORIGIN, "LOG_KEY": skey}
    process = road_publish()
    log_sequence()
    return process


def road_publish(today: dt.date = TODAY) -> Process:
    """Create the Dinas PUPR with its operator and PPK and publish the road story's nine
    releases (planning … implementation, a tender amendment, a contract addendum, two more
    progress reports) with their PDFs; return the process."""
    agency = Agency.objects.create(
        code="3522-dpupr", name="Dinas PUPR", kind="dinas", government=region_bojonegoro()
    )
    actors = {
        "operator.dpupr": User.objects.create_user(
            "operator.dpupr", role=Role.OPERATOR, agency=agency
        ),
        "ppk.dpupr": User.objects.create_user("ppk.dpupr", role=Role.PPK, agency=agency),
    }
    info = AgencyInfo(agency.code, "dpupr", "dinas", agency.name)
    spec = road_story(info, ROAD_SUPPLIER, 1, today)
    process_spec_publish(spec, actors, {}, DemoResult())
    return Process.objects.get(title=spec.title)
