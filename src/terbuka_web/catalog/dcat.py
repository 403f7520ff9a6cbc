"""Build the catalogue as a DCAT-AP 3 RDF graph (rdflib) and serialise it as JSON-LD or Turtle.

Every dataset carries dct:title/dct:description in Bahasa Indonesia and English, dct:publisher
(the walidata, a foaf:Agent), dct:creator (the produsen data), dcat:contactPoint (vcard),
dct:license, dct:spatial (dct:Location with the Kemendagri code as dct:identifier),
dct:temporal (dct:PeriodOfTime), dct:modified and dcat:distribution; each distribution
dcat:accessURL, dcat:downloadURL, dcat:mediaType (IANA), dct:format (EU file-type) and
dct:license. Turtle example:
    <https://x/data/pengadaan-ocds/> a dcat:Dataset ;
        dct:license <https://creativecommons.org/licenses/by/4.0/> .
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, XSD

from terbuka_web.catalog.registry import Agent, Dataset, Distribution

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
DCATAP = Namespace("http://data.europa.eu/r5r/")
EU = "http://publications.europa.eu/resource/authority/"
IANA = "https://www.iana.org/assignments/media-types/"
DCAT_AP_3 = "http://data.europa.eu/r5r/"  # DCAT-AP 3 namespace, as dct:conformsTo of the catalogue
# Our short format labels → EU file-type authority codes.
FILE_TYPES = {
    "JSON": "JSON", "CSV": "CSV", "XLSX": "XLSX", "TXT": "TXT", "BIN": "BIN", "XML": "XML",
    "ATOM": "ATOM",
}  # fmt: skip
PREFIXES = {
    "dcat": DCAT,
    "dct": DCTERMS,
    "foaf": FOAF,
    "vcard": VCARD,
    "dcatap": DCATAP,
    "skos": SKOS,
    "xsd": XSD,
}


class Site:
    """What the graph needs of the site: its origin, licence, contact and region names."""

    def __init__(
        self, origin: str, *, license: str, contact: str, walidata: Agent, regions: dict[str, str]
    ) -> None:
        self.origin = origin.rstrip("/")
        self.license = license
        self.contact = contact
        self.walidata = walidata
        self.regions = regions

    def url(self, path: str) -> str:
        """Return the absolute URL of a site path, e.g. "/data/" → "https://x/data/"."""
        return self.origin + path


def _texts(graph: Graph, node: URIRef | BNode, prop: URIRef, id_: str, en: str) -> None:
    graph.add((node, prop, Literal(id_, lang="id")))
    if en:
        graph.add((node, prop, Literal(en, lang="en")))


def _agent(graph: Graph, site: Site, agent: Agent) -> URIRef:
    node = URIRef(agent.uri or site.url(f"/data/organisasi/{agent.key}"))
    graph.add((node, RDF.type, FOAF.Agent))
    graph.add((node, FOAF.name, Literal(agent.name)))
    graph.add((node, DCTERMS.identifier, Literal(agent.key)))
    return node


def _contact(graph: Graph, site: Site) -> BNode:
    node = BNode()
    graph.add((node, RDF.type, VCARD.Organization))
    graph.add((node, VCARD.fn, Literal(site.walidata.name)))
    if "@" in site.contact and not site.contact.startswith("http"):
        graph.add((node, VCARD.hasEmail, URIRef(f"mailto:{site.contact}")))
    else:
        graph.add((node, VCARD.hasURL, URIRef(site.contact)))
    return node


def _location(graph: Graph, site: Site, code: str) -> BNode:
    node = BNode()
    graph.add((node, RDF.type, DCTERMS.Location))
    graph.add((node, DCTERMS.identifier, Literal(code)))
    if code in site.regions:
        graph.add((node, SKOS.prefLabel, Literal(site.regions[code], lang="id")))
    return node


def _license(graph: Graph, site: Site) -> URIRef:
    node = URIRef(site.license)
    graph.add((node, RDF.type, DCTERMS.LicenseDocument))
    return node


def _when(value: datetime) -> Literal:
    return Literal(value.isoformat(), datatype=XSD.dateTime)


def _distribution(graph: Graph, site: Site, dataset: Dataset, dist: Distribution) -> URIRef:
    node = URIRef(site.url(f"/data/{dataset.name}/#{dist.key}"))
    url = URIRef(site.url(dist.path))
    graph.add((node, RDF.type, DCAT.Distribution))
    graph.add((node, DCTERMS.identifier, Literal(dataset.distribution_id(dist))))
    _texts(graph, node, DCTERMS.title, dist.title, dist.title_en)
    if dist.description:
        _texts(graph, node, DCTERMS.description, dist.description, dist.description_en)
    graph.add((node, DCAT.accessURL, url))
    if dist.download:
        graph.add((node, DCAT.downloadURL, url))
    graph.add((node, DCAT.mediaType, URIRef(IANA + dist.media_type)))
    graph.add((node, DCTERMS.format, URIRef(f"{EU}file-type/{FILE_TYPES[dist.format]}")))
    graph.add((node, DCTERMS.license, _license(graph, site)))
    if dist.conforms_to:
        graph.add((node, DCTERMS.conformsTo, URIRef(dist.conforms_to)))
    return node


def _dataset(graph: Graph, site: Site, dataset: Dataset) -> URIRef:
    node = URIRef(site.url(f"/data/{dataset.name}/"))
    graph.add((node, RDF.type, DCAT.Dataset))
    graph.add((node, DCTERMS.identifier, Literal(dataset.id)))
    _texts(graph, node, DCTERMS.title, dataset.title, dataset.title_en)
    _texts(graph, node, DCTERMS.description, dataset.description, dataset.description_en)
    graph.add((node, DCTERMS.publisher, _agent(graph, site, site.walidata)))
    graph.add((node, DCTERMS.creator, _agent(graph, site, dataset.producer)))
    graph.add((node, DCAT.contactPoint, _contact(graph, site)))
    graph.add((node, DCAT.landingPage, node))
    graph.add((node, DCTERMS.accessRights, URIRef(f"{EU}access-right/PUBLIC")))
    graph.add((node, DCTERMS.accrualPeriodicity, URIRef(f"{EU}frequency/{dataset.frequency}")))
    for keyword in dataset.keywords:
        graph.add((node, DCAT.keyword, Literal(keyword)))
    for theme in dataset.themes:
        graph.add((node, DCAT.theme, URIRef(f"{EU}data-theme/{theme}")))
    for code in dataset.spatial:
        graph.add((node, DCTERMS.spatial, _location(graph, site, code)))
    if dataset.temporal:
        period = BNode()
        graph.add((period, RDF.type, DCTERMS.PeriodOfTime))
        graph.add((period, DCAT.startDate, Literal(dataset.temporal[0], datatype=XSD.date)))
        graph.add((period, DCAT.endDate, Literal(dataset.temporal[1], datatype=XSD.date)))
        graph.add((node, DCTERMS.temporal, period))
    if dataset.modified:
        graph.add((node, DCTERMS.modified, _when(dataset.modified)))
    if dataset.conforms_to:
        graph.add((node, DCTERMS.conformsTo, URIRef(dataset.conforms_to)))
    for dist in dataset.distributions:
        graph.add((node, DCAT.distribution, _distribution(graph, site, dataset, dist)))
    return node


def catalog_graph(site: Site, datasets: Iterable[Dataset]) -> Graph:
    """Return the DCAT-AP 3 graph of the catalogue at site.url("/data/") and its datasets."""
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    node = URIRef(site.url("/data/"))
    graph.add((node, RDF.type, DCAT.Catalog))
    name = site.walidata.name
    _texts(graph, node, DCTERMS.title, f"Katalog data terbuka {name}", f"Open data of {name}")
    _texts(
        graph, node, DCTERMS.description,
        f"Data terbuka {site.walidata.name}: pengadaan, wilayah, log transparansi dan lainnya.",
        f"Open data of {site.walidata.name}: contracting, regions, the transparency log and more.",
    )  # fmt: skip
    graph.add((node, DCTERMS.publisher, _agent(graph, site, site.walidata)))
    graph.add((node, FOAF.homepage, URIRef(site.url("/data/"))))
    graph.add((node, DCTERMS.license, _license(graph, site)))
    graph.add((node, DCTERMS.conformsTo, URIRef(DCAT_AP_3)))
    graph.add((node, DCAT.themeTaxonomy, URIRef(f"{EU}data-theme")))
    for lang in ("IND", "ENG"):
        graph.add((node, DCTERMS.language, URIRef(f"{EU}language/{lang}")))
    datasets = datasets_list(datasets)
    modified = [d.modified for d in datasets if d.modified]
    if modified:
        graph.add((node, DCTERMS.modified, _when(max(modified))))
    for dataset in datasets:
        graph.add((node, DCAT.dataset, _dataset(graph, site, dataset)))
    return graph


def datasets_list(datasets: Iterable[Dataset]) -> list[Dataset]:
    """Return datasets as a list (a generator is read once)."""
    return datasets if isinstance(datasets, list) else list(datasets)


def graph_serialise(graph: Graph, fmt: str) -> str:
    """Serialise graph as "turtle" or "json-ld" (compacted with the PREFIXES context)."""
    if fmt == "json-ld":
        context = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
        return graph.serialize(format="json-ld", context=context, auto_compact=True)
    return graph.serialize(format="turtle")
