"""React to other apps: credit enrolled wallets when a disbursement cycle is done, return
expired wallet balances to their programme's fund at each benefits tick."""

from __future__ import annotations

from typing import Any

from terbuka_web.benefits.models import Cycle, Programme
from terbuka_web.wallets.services import wallets_credit, wallets_expire


def on_cycle_done(sender: Any, *, cycle: Cycle, **kwargs: Any) -> None:
    """Move the cycle's entitlements of enrolled registrants into their wallets."""
    wallets_credit(programme=cycle.programme)


def on_programme_ticked(sender: Any, *, programme: Programme, **kwargs: Any) -> int:
    """Return programme's expired wallet money to its fund; return the Rupiah moved."""
    return wallets_expire(programme=programme)
