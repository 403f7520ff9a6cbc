"""React to other apps: credit enrolled wallets when a disbursement cycle is done."""

from __future__ import annotations

from typing import Any

from terbuka_web.benefits.models import Cycle
from terbuka_web.wallets.services import wallets_credit


def on_cycle_done(sender: Any, *, cycle: Cycle, **kwargs: Any) -> None:
    """Move the cycle's entitlements of enrolled registrants into their wallets."""
    wallets_credit(programme=cycle.programme)
