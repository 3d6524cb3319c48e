"""Private storage for evidence files: outside MEDIA_ROOT, random names, no URL.

The files are served only by `plans.views.evidence_download` (and the scans by
`meetings.attendance_views.scan_download`), which check the
user's permission. `url()` raises, so no template can link a file directly.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.utils import timezone


def evidence_root() -> Path:
    default = Path(settings.BASE_DIR) / "private" / "followup-evidence"
    return Path(getattr(settings, "FOLLOWUP_EVIDENCE_ROOT", default) or default)


def evidence_max_bytes() -> int:
    return int(getattr(settings, "FOLLOWUP_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024))


class EvidenceStorage(FileSystemStorage):
    """FileSystemStorage whose location follows the setting each time (tests override it)."""

    def __init__(self):
        super().__init__(base_url=None)

    @property
    def base_location(self):
        return evidence_root()

    @property
    def location(self):
        return str(evidence_root().resolve())

    @property
    def base_url(self):
        return None

    def url(self, name):
        raise ValueError("Berkas bukti dukung hanya dapat diunduh melalui halaman tindak lanjut.")

    def deconstruct(self):
        return ("followup.storage.EvidenceStorage", (), {})


_storage = EvidenceStorage()


def evidence_storage() -> Storage:
    """The local private folder; with MEDIA_STORAGE=s3 the shared private S3 location, so that
    several app servers behind a load balancer see the same evidence files."""
    if getattr(settings, "MEDIA_STORAGE", "local") == "s3":
        return storages["private"]
    return _storage


def evidence_upload_to(instance, filename: str) -> str:
    """A random name under the year and month; the extension is the detected type's."""
    suffix = Path(filename).suffix.lower()
    now = timezone.localtime()
    return f"{now:%Y}/{now:%m}/{uuid.uuid4().hex}{suffix}"
