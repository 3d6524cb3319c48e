"""Moved to the portal shell: `skm_portal.uploads` is the one upload policy.

Kept so follow-up code and parallel work importing `followup.filetypes` keep working."""

from skm_portal.uploads import (  # noqa: F401
    ACCEPTED_EXTENSIONS,
    DEFAULT_MAX_BYTES,
    KINDS,
    FileKind,
    RefusedFile,
    check,
    kind_by_key,
    refuse_path,
    size_label,
    sniff,
)
