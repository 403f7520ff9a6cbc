"""Budget line tables: golden rows, every error at once, realisations need a budget line."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from terbuka.budget.errors import BudgetFileError
from terbuka.budget.rows import BudgetRow, realisations_check, rows_check, table_read

CSV = (
    "tahun;tahap;wilayah;perangkat_daerah;kode_program;kode_rekening;fungsi;uraian;jumlah;semester\n"
    "2024;DPA;3522;dinas-pu;1.03.10.2.01.01;5.2.04.01.01.001;6;Jalan;1.500.000.000;\n"
    "2025;apbdes;3522012001;;;4.2.1;;Dana Desa;Rp 1,1 M;\n"
    "2025;lra;35.22.01.2001;;2.3.1;5.3;;Jalan desa;450 juta;2\n"
)


def test_golden_rows() -> None:
    rows = rows_check(table_read(CSV.encode(), "x.csv"))
    assert rows[0] == BudgetRow(
        number=2,
        year=2024,
        phase="dpa",
        semester=0,
        region="35.22",
        village=False,
        agency="dinas-pu",
        programme="1.03.10.2.01.0001",
        account="5.2.04.01.01.0001",
        fungsi="06",
        name="Jalan",
        amount=1_500_000_000,
    )
    assert (rows[1].region, rows[1].village, rows[1].account, rows[1].amount) == (
        "35.22.01.2001",
        True,
        "4.2.1",
        1_100_000_000,
    )
    assert (rows[2].phase, rows[2].semester, rows[2].programme) == ("realisasi", 2, "2.3.01")


def test_every_bad_row_reported_together() -> None:
    bad = CSV.replace("5.2.04.01.01.001", "5.2.04").replace("Rp 1,1 M", "banyak")
    with pytest.raises(BudgetFileError) as caught:
        rows_check(table_read(bad.encode(), "x.csv"))
    assert [e.where for e in caught.value.errors] == ["baris 2, kode_rekening", "baris 3, jumlah"]


def test_village_spending_needs_bidang_and_jenis() -> None:
    head = "tahun,tahap,wilayah,kode_program,kode_rekening,jumlah\n"
    with pytest.raises(BudgetFileError, match="bidang"):
        rows_check(table_read((head + "2025,dpa,35.22.01.2001,,5.3,1\n").encode(), "x.csv"))
    with pytest.raises(BudgetFileError, match="per type"):
        rows_check(table_read((head + "2025,dpa,35.22.01.2001,2.3,5,1\n").encode(), "x.csv"))


def test_realisation_without_budget_line() -> None:
    rows = rows_check(table_read(CSV.encode(), "x.csv"))
    with pytest.raises(BudgetFileError) as caught:
        realisations_check(rows, set())
    assert caught.value.errors[0].where == "baris 4, kode_rekening"
    assert "without a budget line" in caught.value.errors[0].message_en
    realisations_check(rows, {("35.22.01.2001", "", "2.3.01", "5.3")})


def test_missing_columns_and_empty_files() -> None:
    with pytest.raises(BudgetFileError, match="required columns missing: wilayah"):
        table_read(b"tahun,tahap,kode_rekening,jumlah\n", "x.csv")
    with pytest.raises(BudgetFileError, match="empty"):
        table_read(b"", "x.csv")
    with pytest.raises(BudgetFileError, match="unreadable"):
        table_read(b"not a zip", "x.xlsx")


CELLS = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20)


@given(
    st.dictionaries(
        st.sampled_from(
            [
                "tahun",
                "tahap",
                "wilayah",
                "kode_rekening",
                "jumlah",
                "kode_program",
                "semester",
                "fungsi",
            ]
        ),
        CELLS,
    )
)
def test_any_row_checks_or_raises_budget_file_error(record: dict[str, str]) -> None:
    try:
        rows = rows_check([record])
    except BudgetFileError as error:
        assert error.errors and all(e.where.startswith("baris 2") for e in error.errors)
        return
    assert rows[0].amount == rows[0].amount  # an int
