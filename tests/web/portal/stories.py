"""Publish the demo's road-works story (common/demo/road.py) through the real services."""

from __future__ import annotations

import datetime as dt

from terbuka_web.accounts.models import Agency, Role, User
from terbuka_web.common.demo.generate import AgencyInfo
from terbuka_web.common.demo.road import road_story
from terbuka_web.common.demo.seed import ROAD_SUPPLIER, DemoResult, process_spec_publish
from terbuka_web.contracting.models import Process
from tests.web.factories import region_bojonegoro

TODAY = dt.date(2026, 12, 4)


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
