"""List the indicators, check a settings file against them and build the enabled ones.

Cardinal's codes come first, in Cardinal's order; the Indonesia-specific ones (ID…) follow.
A settings file enables an indicator by having its section; without a file every indicator
runs with its defaults (as Cardinal's `init` file with every section uncommented).
"""

from __future__ import annotations

from terbuka.flags.errors import FlagsSettingsError
from terbuka.flags.indicators.base import Indicator
from terbuka.flags.indicators.bid_ratio import SecondLowestBidRatios
from terbuka.flags.indicators.id001 import ID001
from terbuka.flags.indicators.id002 import ID002
from terbuka.flags.indicators.id003 import ID003
from terbuka.flags.indicators.r003 import R003
from terbuka.flags.indicators.r018 import R018
from terbuka.flags.indicators.r024 import R024
from terbuka.flags.indicators.r025 import R025
from terbuka.flags.indicators.r028 import R028
from terbuka.flags.indicators.r030 import R030
from terbuka.flags.indicators.r035 import R035
from terbuka.flags.indicators.r036 import R036
from terbuka.flags.indicators.r038 import R038
from terbuka.flags.indicators.r048 import R048
from terbuka.flags.indicators.r058 import R058
from terbuka.flags.prepare import Preparer
from terbuka.flags.settings import ROOT, Section, Settings, settings_parse

INDICATORS: tuple[type[Indicator], ...] = (
    R003, R018, R024, R025, R028, R030, R035, R036, R038, R048, R058, ID001, ID002, ID003,
)  # fmt: skip
CODES = tuple(kind.code for kind in INDICATORS)
# Indicators whose result for a process depends on that process alone (no fences or counts
# across processes): they can be stored per process and recomputed when it is published.
LOCAL_CODES = tuple(kind.code for kind in INDICATORS if kind.local)
RATIO_USERS = (R024, R058)

# Sections the `prepare` step reads, with their allowed properties (None: any name).
PREPARE_SECTIONS: dict[str, frozenset[str] | None] = {
    "defaults": frozenset(
        {"currency", "item_classification_scheme", "bid_status", "award_status", "party_roles"}
    ),
    "redactions": frozenset({"amount", "organization_id"}),
    "corrections": frozenset({"award_status_by_contract_status"}),
    "modifications": frozenset(
        {
            "move_auctions",
            "prefix_buyer_or_procuring_entity_id",
            "prefix_tenderer_or_supplier_id",
            "split_procurement_method_details",
        }
    ),
    "codelists.bid_status": None,
    "codelists.award_status": None,
    "exclusions": frozenset({"procurement_method_details"}),
}


def _known_sections() -> dict[str, frozenset[str] | None]:
    """Return every section name a settings file may have, with its allowed properties."""
    known: dict[str, frozenset[str] | None] = {ROOT: None, **PREPARE_SECTIONS}
    for kind in INDICATORS:
        known[kind.code] = kind.keys
        known.update({name: None for name in _subsections(kind)})
    return known


def _subsections(kind: type[Indicator]) -> list[str]:
    """Return the names of an indicator's "name = natural number" sections ([R003.x])."""
    return [f"{kind.code}.{sub}" for sub in kind.subsections]


def settings_load(text: str, *, source: str) -> Settings:
    """Parse a settings file and check it; raise FlagsSettingsError (file:line) when wrong.

    Every section must be known; every property must belong to its section; numbers must
    parse. Example: "[R003]\\nthreshold = 10\\n" enables R003 only, with 10 days.
    """
    settings = settings_parse(text, source=source)
    known = _known_sections()
    for name, section in settings.sections.items():
        if name not in known:
            raise FlagsSettingsError(
                f"bagian [{name}] tidak dikenal",
                f"unknown section [{name}]",
                where=f"{source}:{section.line}",
            )
        allowed = known[name]
        if allowed is not None:
            section.check_keys(allowed)
    for kind in INDICATORS:
        for name in _subsections(kind):
            settings.section(name).natural_numbers()
    indicators_build(settings)  # reads every number, so bad values fail here
    Preparer(settings)  # likewise for the prepare sections
    return settings


def settings_default() -> Settings:
    """Return settings that enable every indicator with its defaults."""
    return Settings(
        {ROOT: Section(ROOT, {}, "default")} | {c: Section(c, {}, "default") for c in CODES}
    )


def indicators_build(settings: Settings) -> list[Indicator]:
    """Return the enabled indicators in folding order (the shared bid ratios first)."""
    enabled = [kind for kind in INDICATORS if settings.has(kind.code)]
    if any(kind in RATIO_USERS for kind in enabled):
        enabled.insert(0, SecondLowestBidRatios)
    return [kind(settings) for kind in enabled]
