"""Check the references of bulk-written tables on PostgreSQL once per statement, not per row.

A foreign key makes PostgreSQL run, for every row written, a query that finds the referenced
row and locks it (FOR KEY SHARE: a write to that row's page and to the WAL). A benefit cycle
then wrote an item, an account, a posting and two legs per credit: for 513,206 credits these
checks took 15 of PostgreSQL's 32 s of CPU (the snapshot's commit 7.3 s, each chunk's commit
148 ms). It still writes an item, an account and a leg per credit. The references of ledger
legs and cycle items are therefore checked by triggers (references_check, in a migration):
- after each INSERT statement, one query looks up each new row's referenced rows in their
  primary keys (the statement's rows read as a transition table; always by index probes, since
  the plan is kept for the session whatever the parent's size when it was made) and raises
  foreign_key_violation (SQLSTATE 23503, Django's IntegrityError), naming the table, the
  column and the missing id, as the foreign key would;
- an UPDATE that changes a reference is refused: these rows never move;
- deleting a referenced row, or changing its id, is refused (as PROTECT and the key's NO
  ACTION would); a parent listed as never deleted refuses every DELETE.
Without the key's lock, a DELETE could miss children that a concurrent transaction has
written but not committed. None can, by how the rows are written: postings and cycles get
their legs and items in the transaction that creates them, and every ledger writer locks the
accounts it touches FOR UPDATE (ledger.services, ledger.single), so a DELETE waits for that
writer and then sees its legs. The one parent written to without a lock, the registrant that a
cycle's snapshot reads, is never deleted (and no code path deletes one).
SQLite keeps its real foreign keys (no locks there: they cost little), so the migration that
uses this changes Django's state only (db_constraint=False) on SQLite; tests/web/benefits/
test_references.py holds both databases to the same refusals.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Reference:
    """Name one reference: table.column holds an id of parent."""

    table: str
    column: str
    parent: str


def _refused(message: str, *args: str) -> str:
    """Return a PL/pgSQL RAISE of foreign_key_violation with message ("<id> / <en>", its %s
    filled with args, SQL expressions)."""
    values = "".join(f", {a}" for a in args)
    return (
        "RAISE EXCEPTION USING ERRCODE = 'foreign_key_violation', "
        f"MESSAGE = format('{message}'{values});"
    )


def _function(name: str, body: str, settings: str = "", declare: str = "") -> str:
    """Return the CREATE FUNCTION of trigger function name running body, with settings (SET
    clauses) and declare (PL/pgSQL declarations)."""
    return (
        f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql{settings} AS $$\n"
        f"{declare}BEGIN\n{body}\nEND $$;"
    )


def _missing_check(r: Reference) -> str:
    """Return the PL/pgSQL raising when a new row of r.table refers to no row of r.parent."""
    where = f"{r.table}.{r.column}"
    refusal = _refused(
        f"{where} = %s tidak ada di {r.parent} / {where} = %s is not in {r.parent}",
        "missing", "missing",
    )  # fmt: skip
    return (
        f"SELECT n.{r.column} INTO missing FROM new_rows n WHERE NOT EXISTS "
        f"(SELECT FROM {r.parent} p WHERE p.id = n.{r.column}) LIMIT 1;\n"
        f"IF FOUND THEN {refusal} END IF;"
    )


def _inserted_sql(table: str, refs: Sequence[Reference]) -> list[str]:
    """Return the statement-level check of table's new rows and its update guard."""
    checks = "\n".join(_missing_check(r) for r in refs)
    columns = ", ".join(r.column for r in refs)
    moved = " OR ".join(f"OLD.{r.column} IS DISTINCT FROM NEW.{r.column}" for r in refs)
    # Primary-key probes only, whatever the planner knows of the parent's size: PL/pgSQL keeps
    # the plan for the session, and one made while the ledger held two accounts (scan them)
    # would scan every account for every leg once a cycle has written 500,000 of them; a hash
    # join would read the whole, growing parent for each statement.
    probes = (
        " SET enable_hashjoin = off SET enable_mergejoin = off SET enable_seqscan = off"
        " SET enable_bitmapscan = off"
    )
    return [
        _function(
            f"{table}_refs_check", checks + "\nRETURN NULL;", probes, "DECLARE missing bigint;\n"
        ),
        f"CREATE TRIGGER {table}_refs_check AFTER INSERT ON {table} REFERENCING NEW TABLE "
        f"AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {table}_refs_check();",
        _function(
            f"{table}_refs_fixed",
            _refused(f"rujukan {table} tidak dapat diubah / a reference of {table} cannot change")
            + "\nRETURN NEW;",
        ),
        f"CREATE TRIGGER {table}_refs_fixed BEFORE UPDATE OF {columns} ON {table} FOR EACH "
        f"ROW WHEN ({moved}) EXECUTE FUNCTION {table}_refs_fixed();",
    ]


def _parent_sql(parent: str, refs: Sequence[Reference], never_deleted: bool) -> list[str]:
    """Return the guard refusing to delete (or renumber) parent's referenced rows."""
    if never_deleted:
        refusal = _refused(
            f"baris {parent} tidak pernah dihapus / rows of {parent} are never deleted"
        )
        body = f"IF TG_OP = 'DELETE' THEN {refusal} END IF;\n"
    else:
        body = ""
    body += "\n".join(
        f"IF EXISTS (SELECT FROM {r.table} WHERE {r.column} = OLD.id) THEN "
        + _refused(
            f"{parent} %s masih dirujuk {r.table} / {parent} %s is still referenced by {r.table}",
            "OLD.id",
            "OLD.id",
        )
        + " END IF;"
        for r in refs
    )
    body += "\nIF TG_OP = 'DELETE' THEN RETURN OLD; END IF;\nRETURN NEW;"
    return [
        _function(f"{parent}_refs_kept", body),
        f"CREATE TRIGGER {parent}_refs_kept BEFORE DELETE ON {parent} FOR EACH ROW EXECUTE "
        f"FUNCTION {parent}_refs_kept();",
        f"CREATE TRIGGER {parent}_refs_renumbered BEFORE UPDATE OF id ON {parent} FOR EACH ROW "
        f"WHEN (OLD.id IS DISTINCT FROM NEW.id) EXECUTE FUNCTION {parent}_refs_kept();",
    ]


def _keys_dropped_sql(refs: Sequence[Reference]) -> list[str]:
    """Return statements dropping the foreign keys of refs (Django named them by hash)."""
    return [
        f"DO $$ DECLARE name text; BEGIN FOR name IN SELECT c.conname FROM pg_constraint c "
        f"JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY(c.conkey) "
        f"WHERE c.contype = 'f' AND c.conrelid = '{r.table}'::regclass AND a.attname = "
        f"'{r.column}' LOOP EXECUTE format('ALTER TABLE {r.table} DROP CONSTRAINT %I', name); "
        f"END LOOP; END $$;"
        for r in refs
    ]


def _keys_added_sql(refs: Sequence[Reference]) -> list[str]:
    """Return statements adding the foreign keys of refs back, as Django declares them."""
    return [
        f"ALTER TABLE {r.table} ADD CONSTRAINT {r.table}_{r.column}_fk FOREIGN KEY ({r.column}) "
        f"REFERENCES {r.parent} (id) DEFERRABLE INITIALLY DEFERRED;"
        for r in refs
    ]


def references_sql(refs: Sequence[Reference], never_deleted: Sequence[str] = ()) -> list[str]:
    """Return the PostgreSQL statements replacing refs' foreign keys by the checks above.

    refs' tables are written after their parents in each statement's transaction; a parent in
    never_deleted refuses every DELETE (see the module docstring for why that one).
    """
    sql = _keys_dropped_sql(refs)
    for table in dict.fromkeys(r.table for r in refs):
        sql += _inserted_sql(table, [r for r in refs if r.table == table])
    for parent in dict.fromkeys(r.parent for r in refs):
        mine = [r for r in refs if r.parent == parent]
        sql += _parent_sql(parent, mine, parent in never_deleted)
    return sql


def references_undo_sql(refs: Sequence[Reference]) -> list[str]:
    """Return the PostgreSQL statements dropping the checks of refs and adding their keys."""
    sql = [f"DROP FUNCTION {t}_refs_check, {t}_refs_fixed CASCADE;" for t in
           dict.fromkeys(r.table for r in refs)]  # fmt: skip
    sql += [f"DROP FUNCTION {p}_refs_kept CASCADE;" for p in dict.fromkeys(r.parent for r in refs)]
    return sql + _keys_added_sql(refs)


def references_check(
    refs: Sequence[Reference], never_deleted: Sequence[str] = ()
) -> tuple[Callable[[Any, Any], None], Callable[[Any, Any], None]]:
    """Return the forward and backward functions of a RunPython that replaces refs' foreign
    keys by statement-level checks on PostgreSQL; on SQLite both do nothing (its keys stay).
    """

    def forward(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            for statement in references_sql(refs, never_deleted):
                schema_editor.execute(statement, None)  # no %-interpolation

    def backward(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            for statement in references_undo_sql(refs):
                schema_editor.execute(statement, None)  # no %-interpolation

    return forward, backward
