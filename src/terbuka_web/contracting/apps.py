from pathlib import Path
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core import checks


def old_public_media_check(**kwargs: Any) -> list[checks.CheckMessage]:
    """Warn while uploaded PDFs remain in the old, publicly served DATA_DIR/media/documents."""
    folder = Path(settings.OLD_PUBLIC_MEDIA_ROOT) / "documents"
    if folder.is_dir() and any(p.is_file() for p in folder.rglob("*")):
        return [
            checks.Warning(
                f"{folder} masih memuat PDF unggahan yang mungkin tersaji untuk umum, draf "
                "juga / still holds uploaded PDFs a proxy may serve to anyone, drafts included",
                hint="terbuka documents protect; then remove /media/ from the proxy's config",
                id="terbuka.W001",
            )
        ]
    return []


class Config(AppConfig):
    name = "terbuka_web.contracting"
    label = "contracting"

    def ready(self) -> None:
        checks.register(old_public_media_check, checks.Tags.security, deploy=False)
