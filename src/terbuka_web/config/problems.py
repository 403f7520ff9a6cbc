"""Say in one line which setting is wrong, for `terbuka` to print instead of a traceback.

A configuration mistake is an ImproperlyConfigured (SettingError names the variable), a
ConfigError (the witness list, the log key), a database that cannot be reached, or one that
was never migrated. Anything else is a bug or a runtime failure and keeps its traceback.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, connection
from django.db.backends.signals import connection_created

from terbuka.errors import ConfigError


class DatabaseWatch:
    """Remember whether the database was ever connected to during this command."""

    def __init__(self) -> None:
        self.connected = False
        connection_created.connect(self.seen, weak=False, dispatch_uid="terbuka-db-watch")

    def seen(self, sender: Any, **kwargs: Any) -> None:
        """Record a successful connection (connection_created receiver)."""
        self.connected = True


def config_problem(exc: BaseException, watch: DatabaseWatch) -> str | None:
    """Return the one-line description of exc when it is a configuration mistake, else None."""
    if isinstance(exc, ImproperlyConfigured):
        text = str(exc)
    elif isinstance(exc, ConfigError):
        named = "" if exc.where in exc.message_id else f"{exc.where}: "  # name it once
        text = f"{named}{exc.message_id} / {exc.message_en}"
    elif isinstance(exc, DatabaseError) and not watch.connected:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        text = (
            f"DATABASE_URL: basis data tidak dapat dihubungi / cannot reach the database: {first}"
        )
    elif isinstance(exc, DatabaseError) and migrations_pending():
        text = (
            "basis data belum dimigrasi: jalankan `terbuka manage migrate` / "
            "the database is not migrated: run `terbuka manage migrate`"
        )
    else:
        return None
    return " ".join(text.split())


def migrations_pending() -> bool:
    """Report whether the database lacks a migration of the installed apps."""
    from django.db.migrations.executor import MigrationExecutor

    try:
        executor = MigrationExecutor(connection)
        return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    except DatabaseError:
        return False
