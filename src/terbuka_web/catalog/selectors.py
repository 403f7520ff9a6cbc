"""Reads of the catalogue: the registered datasets and the site description they need."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from terbuka_web.catalog.dcat import Site
from terbuka_web.catalog.providers import walidata
from terbuka_web.catalog.registry import Dataset, datasets_all


def site_of(request: HttpRequest, datasets: list[Dataset]) -> Site:
    """Return the Site seen by request: its origin, licence, contact, names of the regions used."""
    from terbuka_web.regions.models import Region

    conf = settings.TERBUKA
    codes = {code for dataset in datasets for code in dataset.spatial}
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    return Site(
        request.build_absolute_uri("/"),
        license=conf["LICENSE"],
        contact=conf["DATA_CONTACT"] or conf["PUBLISHER_URI"],
        walidata=walidata(),
        regions=names,
    )


def catalog_read(request: HttpRequest) -> tuple[list[Dataset], Site]:
    """Return every registered dataset and the site describing them."""
    datasets = datasets_all()
    return datasets, site_of(request, datasets)
