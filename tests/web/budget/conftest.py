"""Fixtures of the budget tests."""

from __future__ import annotations

import pytest

from terbuka_web.budget.demo import budget_demo_seed


@pytest.fixture
def seeded(bojonegoro: str) -> None:
    """Seed the demo's agencies and budgets (DJPK summaries, APBD, APBDes) for Bojonegoro."""
    from terbuka_web.accounts.services import agencies_seed

    agencies_seed(actor=None)
    budget_demo_seed()
