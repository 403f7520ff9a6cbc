"""React to other apps: credit enrolled wallets when a disbursement cycle is done; at each
benefits tick, close the programme's offline allowances past expiry and grace (unused reserves
back to the wallets), then return expired wallet balances to the programme's fund."""

from __future__ import annotations

from typing import Any

from terbuka_web.benefits.models import Cycle, Programme
from terbuka_web.wallets.offline import allowances_close
from terbuka_web.wallets.services import wallets_credit, wallets_expire


def on_cycle_done(sender: Any, *, cycle: Cycle, **kwargs: Any) -> None:
    """Move the cycle's entitlements of enrolled registrants into their wallets."""
    wallets_credit(programme=cycle.programme)


def on_programme_ticked(sender: Any, *, programme: Programme, **kwargs: Any) -> int:
    """Close programme's offline allowances that are due, then return its expired wallet money
    to its fund; return the Rupiah moved to the fund."""
    allowances_close(programme=programme.slug)
    return wallets_expire(programme=programme)
