"""Define the errors of the regions package."""

from __future__ import annotations

from terbuka.errors import FormatError


class RegionCodeError(FormatError):
    """Report a string that is not a Kemendagri region code of the expected shape."""

    code = "region_code"
