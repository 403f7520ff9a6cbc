"""Signals of the benefits app: other apps react to a cycle without benefits importing them."""

from __future__ import annotations

from django.dispatch import Signal

# Sent by cycles.cycle_run once a cycle is done (every credit committed); sender is the
# Programme model, keyword argument cycle the Cycle. The wallets app moves the new
# entitlements of enrolled registrants into their wallets.
cycle_done = Signal()

# Sent by schedule.benefits_tick for each programme once its expired cycles are clawed back;
# sender is the Programme model, keyword argument programme. Each receiver returns the Rupiah
# it moved back to the programme's fund (the wallets app: expired wallet balances).
programme_ticked = Signal()
