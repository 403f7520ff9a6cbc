"""Open-data downloads of the budget app: a year's lines as CSV and as a Fiscal Data Package.

/anggaran/data/<year>/anggaran.csv       every current line of the year (fdp.HEADER)
/anggaran/data/<year>/datapackage.json   its Fiscal Data Package descriptor
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from terbuka.budget.fdp import HEADER, fdp_descriptor
from terbuka_web.budget import selectors
from terbuka_web.common.downloads import csv_response


def _year_known(year: int) -> None:
    if year not in selectors.export_years():
        raise Http404(_("Tidak ada anggaran untuk tahun ini."))


@require_safe
def lines_csv(request: HttpRequest, year: int) -> StreamingHttpResponse:
    """Stream the year's current budget lines as CSV (the package's one resource)."""
    _year_known(year)
    return csv_response(HEADER, selectors.export_rows(year=year), "anggaran.csv")


@require_safe
def datapackage(request: HttpRequest, year: int) -> HttpResponse:
    """Return the Fiscal Data Package descriptor of the year's budget lines."""
    _year_known(year)
    conf = settings.TERBUKA
    descriptor = fdp_descriptor(
        year=year,
        title=f"APBD dan APBDes {year} / regional and village budgets {year}",
        publisher=conf["PUBLISHER_NAME"],
        license_url=conf["LICENSE"],
    )
    response = JsonResponse(descriptor, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Access-Control-Allow-Origin"] = "*"
    return response
