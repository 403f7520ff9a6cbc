"""Rank free-text search by relevance on both databases, titles above other text.

PostgreSQL: search_tsv becomes setweight(title, 'A') || setweight(search_text, 'D'), so that
ts_rank scores a word of the title four times a word found only in the description, supplier
names or the roots (D): "jalan" ranks "Pembangunan Jalan Desa" above "… tahun berjalan",
whose "jalan" is only the root of "berjalan". The column and its partial GIN index are made
again (one table rewrite, about 2 s per 100k processes).

SQLite: an FTS5 index (portal_process_fts) over title and search_text of contracting_process
(external content: the text is stored once), kept current by triggers and queried with bm25,
the title weighted 10 to 1. Both: see selectors.process_search.
"""

from importlib import import_module

from django.db import migrations

previous = import_module("terbuka_web.portal.migrations.0002_search_fts")

POSTGRES_RANKED = [
    "DROP INDEX IF EXISTS portal_process_search_fts",
    "ALTER TABLE contracting_process DROP COLUMN IF EXISTS search_tsv",
    "ALTER TABLE contracting_process ADD COLUMN search_tsv tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple', title), 'A') || "
    "setweight(to_tsvector('simple', search_text), 'D')) STORED",
    previous.POSTGRES_FTS[1],
]
SQLITE_FTS = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS portal_process_fts USING fts5(title, search_text, "
    "content='contracting_process', content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS portal_process_fts_insert AFTER INSERT ON contracting_process "
    "BEGIN INSERT INTO portal_process_fts(rowid, title, search_text) "
    "VALUES (new.id, new.title, new.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS portal_process_fts_delete AFTER DELETE ON contracting_process "
    "BEGIN INSERT INTO portal_process_fts(portal_process_fts, rowid, title, search_text) "
    "VALUES ('delete', old.id, old.title, old.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS portal_process_fts_update "
    "AFTER UPDATE OF title, search_text ON contracting_process "
    "BEGIN INSERT INTO portal_process_fts(portal_process_fts, rowid, title, search_text) "
    "VALUES ('delete', old.id, old.title, old.search_text); "
    "INSERT INTO portal_process_fts(rowid, title, search_text) "
    "VALUES (new.id, new.title, new.search_text); END",
    "INSERT INTO portal_process_fts(portal_process_fts) VALUES ('rebuild')",
]
SQLITE_DROPS = [
    "DROP TRIGGER IF EXISTS portal_process_fts_insert",
    "DROP TRIGGER IF EXISTS portal_process_fts_delete",
    "DROP TRIGGER IF EXISTS portal_process_fts_update",
    "DROP TABLE IF EXISTS portal_process_fts",
]


def create(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    for sql in POSTGRES_RANKED if postgres else SQLITE_FTS:
        schema_editor.execute(sql)


def drop(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    for sql in previous.POSTGRES_DROPS + previous.POSTGRES_FTS if postgres else SQLITE_DROPS:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0003_stage_method_order"),
        ("contracting", "0005_search_text_dictionary_roots"),
    ]
    operations = [migrations.RunPython(create, drop)]
