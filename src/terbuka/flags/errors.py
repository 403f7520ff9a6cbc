"""Define the errors of the red-flag core: bad input lines and bad settings files.

Both carry the bilingual message of TerbukaError and, in `where`, the file and line
(for example "rilis.jsonl:3" or "pengaturan.ini:4"), so a command prints one line that
names the place to fix.
"""

from __future__ import annotations

from terbuka.errors import ConfigError, FormatError


class FlagsInputError(FormatError):
    """Report a line of compiled releases that is not a JSON object."""

    code = "flags_input"


class FlagsSettingsError(ConfigError):
    """Report a settings file (Cardinal's INI `--settings`) that does not parse or is wrong."""

    code = "flags_settings"
