"""Is this PDF one of our signed documents (a report or a letter), intact and validly signed? By whom, when?

A file passes only if (1) its SHA-256 is that of a signed version this app stored, and
(2) its PAdES signature validates with pyHanko: the signed bytes are intact, the
signature is cryptographically valid, it covers the whole file (nothing appended), and
the signer's certificate is the one recorded for that version. One changed byte fails
(1) and usually (2). A file that names one of our reports in its metadata but differs
from it is reported as modified.
"""

from __future__ import annotations

import hashlib
import io
import logging
from dataclasses import dataclass, field
from datetime import datetime

from django.utils.translation import gettext as _

from .models import SignedVersion

logger = logging.getLogger(__name__)
KEYWORD_PREFIX = "skm-report:"


class Status:
    VALID = "valid"
    UNREADABLE = "unreadable"
    UNSIGNED = "unsigned"
    UNKNOWN = "unknown"
    MODIFIED = "modified"
    INVALID = "invalid"


@dataclass
class Verdict:
    status: str
    message: str
    sha256: str
    version: SignedVersion | None = None
    claimed: SignedVersion | None = None
    signer_subject: str = ""
    signed_at: datetime | None = None
    details: list[str] = field(default_factory=list)
    latest_number: int | None = None

    @property
    def ok(self) -> bool:
        return self.status == Status.VALID

    @property
    def superseded(self) -> bool:
        return self.version is not None and self.latest_number is not None and self.latest_number > self.version.number


def _claimed_code(reader) -> str:
    try:
        info = reader.trailer["/Info"]
        keywords = str(info.get("/Keywords", ""))
    except Exception:  # any damage means "claims nothing"
        return ""
    for word in keywords.replace(",", " ").split():
        if word.startswith(KEYWORD_PREFIX):
            return word[len(KEYWORD_PREFIX) :]
    return ""


def _trust_roots(version: SignedVersion) -> list:
    from asn1crypto import pem, x509

    roots = []
    for _kind, _headers, der in pem.unarmor(version.certificate_pem.encode("ascii"), multiple=True):
        roots.append(x509.Certificate.load(der))
    return roots


def _latest_numbers(version: SignedVersion | None) -> int | None:
    if version is None:
        return None
    return version.siblings().order_by("-number").values_list("number", flat=True).first()


def verify_pdf(data: bytes) -> Verdict:
    """The verdict on a PDF's bytes. Never raises for a bad file: a bad file is a verdict."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    digest = hashlib.sha256(data).hexdigest()
    version = SignedVersion.objects.select_related("report").filter(sha256=digest).first()
    verdict = Verdict(status=Status.UNREADABLE, message="", sha256=digest, version=version)
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except Exception:  # pyHanko raises many kinds on damaged files
        verdict.message = _("Berkas tidak dapat dibaca sebagai PDF (rusak atau bukan PDF).")
        return verdict
    if version is None:
        code = _claimed_code(reader)
        claimed = (
            SignedVersion.objects.select_related("report").filter(verification_code=code).first() if code else None
        )
        if claimed is not None:
            verdict.status, verdict.claimed = Status.MODIFIED, claimed
            verdict.message = _(
                "Berkas ini mengaku sebagai %(title)s versi %(number)s, tetapi isinya berbeda dari dokumen yang "
                "ditandatangani: berkas telah diubah."
            ) % {"title": claimed.title, "number": claimed.number}
            return verdict
        if not signatures:
            verdict.status = Status.UNSIGNED
            verdict.message = _("Berkas ini tidak bertanda tangan elektronik dan tidak terdaftar sebagai laporan kami.")
            return verdict
        verdict.status = Status.UNKNOWN
        verdict.message = _(
            "Berkas ini tidak terdaftar sebagai laporan bertanda tangan dari aplikasi ini (mungkin telah diubah)."
        )
        return verdict
    verdict.latest_number = _latest_numbers(version)
    if len(signatures) != 1:
        verdict.status = Status.INVALID if signatures else Status.UNSIGNED
        verdict.message = _("Berkas harus memuat tepat satu tanda tangan elektronik.")
        return verdict
    try:
        context = ValidationContext(trust_roots=_trust_roots(version), allow_fetching=False)
        status = validate_pdf_signature(signatures[0], context)
    except Exception as error:  # a damaged signature is a verdict, not a crash
        logger.info("Signature validation failed: %s", error)
        verdict.status = Status.INVALID
        verdict.message = _("Tanda tangan elektronik tidak dapat divalidasi.")
        return verdict
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    verdict.signer_subject = status.signing_cert.subject.human_friendly
    verdict.signed_at = status.signer_reported_dt
    checks = [
        (status.intact, _("isi yang ditandatangani utuh")),
        (status.valid, _("tanda tangan kriptografis sah")),
        (status.trusted, _("sertifikat penanda tangan sesuai dengan yang tercatat")),
        (status.coverage == SignatureCoverageLevel.ENTIRE_FILE, _("tanda tangan mencakup seluruh berkas")),
    ]
    verdict.details = [f"{'✓' if passed else '✗'} {label}" for passed, label in checks]
    if all(passed for passed, _label in checks):
        verdict.status = Status.VALID
        verdict.message = _("Dokumen asli, utuh, dan bertanda tangan elektronik yang sah.")
    else:
        verdict.status = Status.INVALID
        verdict.message = _("Tanda tangan elektronik tidak sah untuk berkas ini.")
    return verdict
