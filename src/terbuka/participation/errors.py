"""Errors of the participation core: an attachment that is not the image it claims to be."""

from __future__ import annotations

from terbuka.errors import FormatError


class PhotoError(FormatError):
    """Report a photo that is not a well-formed JPEG or PNG."""

    code = "photo_invalid"
