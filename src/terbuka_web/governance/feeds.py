"""The Atom feed of the consortium's decisions at /konsorsium/keputusan.atom."""

from __future__ import annotations

from datetime import datetime

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from terbuka_web.governance.models import Decision
from terbuka_web.governance.selectors import decisions_list

FEED_SIZE = 50


class DecisionFeed(Feed):  # type: ignore[type-arg]
    """List the newest decisions: title, type, tally and proposal hash."""

    feed_type = Atom1Feed
    title = "Keputusan konsorsium Terbuka / Terbuka consortium decisions"
    subtitle = "Keputusan bertanda tangan anggota, tercatat di log transparansi"

    def link(self) -> str:
        return reverse("governance:home")

    def items(self) -> QuerySet[Decision]:
        return decisions_list()[:FEED_SIZE]

    def item_title(self, item: Decision) -> str:
        return item.proposal.title

    def item_description(self, item: Decision) -> str:
        t = item.tally
        return (
            f"{item.proposal.get_type_display()}: setuju {t['yes']}, tidak {t['no']}, "
            f"abstain {t['abstain']}, mundur {t['recused']}. SHA-256 {item.proposal.hash}"
        )

    def item_link(self, item: Decision) -> str:
        return reverse("governance:proposal", args=[item.proposal.uid])

    def item_pubdate(self, item: Decision) -> datetime:
        return item.decided_at
