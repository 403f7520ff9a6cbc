"""Django's SQLite backend, making the database file's directory when it first connects.

So the data directory (TERBUKA_DATA_DIR, where the default database lives) appears only
when a command opens the database: `terbuka log policy` or `terbuka manage check` make none.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.backends.sqlite3 import base

from terbuka_web.config.env import directory_make


class DatabaseWrapper(base.DatabaseWrapper):
    """Open the SQLite database after creating its directory (not for in-memory databases)."""

    def get_new_connection(self, conn_params: dict[str, Any]) -> Any:
        """Create the directory of the database file, then connect as Django does.

        Raises SettingError naming TERBUKA_DATA_DIR (DATABASE_URL for a file
        elsewhere) when it cannot be created or written.
        """
        if not self.is_in_memory_db():
            directory = Path(self.settings_dict["NAME"]).parent
            default = directory == Path(settings.DATA_DIR)
            directory_make(directory, "TERBUKA_DATA_DIR" if default else "DATABASE_URL")
        return super().get_new_connection(conn_params)
