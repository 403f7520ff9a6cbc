"""The database ledger behaves exactly as the core's in-memory Ledger, for random batches."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from terbuka.money.errors import MoneyError
from terbuka.money.ledger import Ledger
from terbuka.money.posting import Posting, posting_make
from terbuka_web.ledger.models import Account, Leg
from terbuka_web.ledger.models import Posting as PostingRow
from terbuka_web.ledger.selectors import ledger_check
from terbuka_web.ledger.services import postings_record

pytestmark = pytest.mark.django_db
# No wallet account: the database refuses a wallet debit without a signed intent, which the
# pure model does not know (tests/web/wallets/test_attacks.py).
ACCOUNTS = ["treasury:apbd", "programme:p", "entitlement:p:a", "settlement:x", "merchant:m"]


@st.composite
def transfer(draw: st.DrawFn) -> Posting:
    """Draw a two-leg posting between two accounts, under one of a few keys (so keys repeat)."""
    source, target = draw(st.lists(st.sampled_from(ACCOUNTS), min_size=2, max_size=2, unique=True))
    amount = draw(st.integers(1, 1000))
    return posting_make(
        f"k{draw(st.integers(0, 12))}", [(source, "debit", amount), (target, "credit", amount)]
    )


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.lists(transfer(), min_size=1, max_size=4), min_size=1, max_size=8))
def test_database_matches_the_core_model(batches: list[list[Posting]]) -> None:
    Leg.objects.all().delete()
    PostingRow.objects.all().delete()
    Account.objects.all().delete()
    book = Ledger()
    for batch in batches:
        try:
            expected: int | type = book.post_many(batch)
        except MoneyError as exc:
            expected = type(exc)
        try:
            got: int | type = postings_record(postings=batch).created
        except MoneyError as exc:
            got = type(exc)
        assert got == expected
    stored = {k: b for k, b in Account.objects.values_list("key", "balance") if b}
    assert stored == {k: b for k, b in book.balances.items() if b}
    assert ledger_check().ok
