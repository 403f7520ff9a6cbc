"""Registry of the open-data catalogue: each app registers the datasets it publishes.

An app adds a provider in its AppConfig.ready(), e.g.

    from terbuka_web.catalog.registry import provider_register
    provider_register("budget", budget_datasets)

where `budget_datasets(site)` returns Dataset values built from the data (so `modified` and
the temporal coverage follow the last publication). A dataset that never changes can be added
with `dataset_register(Dataset(...))`. The catalogue (/data/, DCAT-AP 3, CKAN API) is made of
every provider's datasets, in registration order.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

# Namespace of the stable CKAN ids (uuid5 of the dataset name, "name/distribution key").
ID_NAMESPACE = uuid.UUID("6f1d3c1e-5b0a-4c55-9a5e-7465726275b1")


@dataclass(frozen=True)
class Agent:
    """A publisher (walidata) or producer (produsen data): one organisation.

    `key` is its CKAN organisation name (lowercase slug), e.g. "walidata" or "dinas-pu".
    """

    key: str
    name: str
    uri: str = ""
    role: str = "walidata"  # "walidata" or "produsen" (Satu Data Indonesia, Perpres 39/2019)


@dataclass(frozen=True)
class Distribution:
    """One download of a dataset: `path` is site-relative, e.g. "/api/ocds/bulk/releases.json".

    `download` False marks an access point that is not one file (e.g. the log's tile root):
    DCAT then gets only dcat:accessURL.
    """

    key: str
    title: str
    title_en: str
    path: str
    media_type: str
    format: str  # short label, as CKAN shows it: "JSON", "CSV", "XLSX", "TXT"
    description: str = ""
    description_en: str = ""
    download: bool = True
    conforms_to: str = ""  # URI of the standard followed, e.g. the OCDS schema


@dataclass(frozen=True)
class Dataset:
    """One dataset of the catalogue; `name` is its slug in URLs and CKAN, e.g. "pengadaan-ocds"."""

    name: str
    title: str
    title_en: str
    description: str
    description_en: str
    producer: Agent
    distributions: tuple[Distribution, ...]
    keywords: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()  # EU data-theme codes, e.g. ("GOVE", "ECON")
    modified: datetime | None = None
    temporal: tuple[date, date] | None = None
    spatial: tuple[str, ...] = ()  # Kemendagri region codes, e.g. ("35.22",)
    frequency: str = "CONT"  # EU frequency code: CONT, DAILY, ANNUAL, IRREG…
    conforms_to: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def id(self) -> str:
        """Return the stable CKAN id of the dataset (uuid5 of its name)."""
        return str(uuid.uuid5(ID_NAMESPACE, self.name))

    def distribution_id(self, distribution: Distribution) -> str:
        """Return the stable CKAN resource id of one of its distributions."""
        return str(uuid.uuid5(ID_NAMESPACE, f"{self.name}/{distribution.key}"))


Provider = Callable[[], Iterable[Dataset]]
_providers: dict[str, Provider] = {}


def provider_register(key: str, provider: Provider) -> None:
    """Register (or replace) the dataset provider of one app, keyed by the app's label."""
    _providers[key] = provider


def dataset_register(dataset: Dataset) -> None:
    """Register one fixed dataset under its own name."""
    provider_register(f"dataset:{dataset.name}", lambda: (dataset,))


def datasets_all() -> list[Dataset]:
    """Return every registered dataset, providers in registration order, names unique.

    Raises ValueError when two providers give the same dataset name.
    """
    seen: dict[str, Dataset] = {}
    for provider in list(_providers.values()):
        for dataset in provider():
            if dataset.name in seen:
                raise ValueError(f"dataset name used twice in the catalogue: {dataset.name}")
            seen[dataset.name] = dataset
    return list(seen.values())


def dataset_find(datasets: list[Dataset], name_or_id: str) -> Dataset | None:
    """Return the dataset of that name or CKAN id among datasets, or None."""
    for dataset in datasets:
        if name_or_id in (dataset.name, dataset.id):
            return dataset
    return None
