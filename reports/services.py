"""Writes of the reports app: create and edit a report, build a draft, sign it.

Building is slow (WeasyPrint), so the web asks for it (`build_request`) and a background
task does it (`build_run`). A draft says DRAF on every page and claims no signature.
Signing takes a finished draft: after the service checked that neither the report's text
nor the data changed since (the draft's HTML is rebuilt and compared by hash), the same
content with the signature statement, QR code and verification link instead of the DRAF
mark (same pages; painted with the draft from one layout when the draft was built, see
`rendering.htmls_to_pdfs`) is signed (PAdES). `signed_version_store` does the signing and
storing for every kind of signed document (reports and letters).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import threading

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from skm_portal import audit
from skm_portal.jobs import claim, fail, fail_dead
from skm_portal.models import OfficeProfile
from skm_portal.permissions import has_permission
from surveys.models import Period

from . import parts, rendering, signing
from .models import Report, ReportBuild, SignedVersion
from .narrative import TEXT_FIELDS, default_texts, default_title

logger = logging.getLogger(__name__)


# --- creating and editing --------------------------------------------------------------


def report_proposal(*, report: Report) -> dict[str, str]:
    """What the app would write today for this report's narrative; nothing is saved."""
    return default_texts(kind=report.kind, year=report.year, period=report.period)


@transaction.atomic
def _require_edit(user, report: Report | None = None) -> None:
    """Writing a report is the office's SKM staff's work (CONVENTIONS.md: services check).

    `user=None` is the system itself (a management command, a task, the demo loader).
    """
    if user is not None and not has_permission(user, "reports.edit", report):
        raise PermissionDenied


def report_create(
    *, kind: str = Report.Kind.FOLLOWUP, year: int | None = None, period: Period | None = None, user=None
) -> Report:
    """A new report with default texts. One yearly report per year, one results report per period."""
    _require_edit(user)
    if kind == Report.Kind.RESULTS:
        if period is None:
            raise ValidationError({"period": _("Pilih periode laporan hasil SKM.")})
        year = period.start_date.year
    elif year is None:
        raise ValidationError({"year": _("Isi tahun laporan.")})
    else:
        period = None
    existing = Report.objects.filter(kind=kind, **({"period": period} if period else {"year": year})).first()
    if existing is not None:
        raise ValidationError(_("Laporan ini sudah ada."), code="exists")
    office = OfficeProfile.get()
    report = Report(
        kind=kind,
        year=year,
        period=period,
        title=default_title(kind=kind, year=year, period=period),
        place=office.city,
        document_date=timezone.localdate(),
        created_by=user,
        **default_texts(kind=kind, year=year, period=period),
    )
    report.full_clean()
    report.save()
    return report


@transaction.atomic
def report_update(*, report: Report, user=None, **changes) -> Report:
    """Change the report's texts. A real change raises the revision: earlier drafts can no longer be signed."""
    _require_edit(user, report)
    unknown = set(changes) - set(TEXT_FIELDS)
    if unknown:
        raise ValueError(f"Unknown report fields: {sorted(unknown)}")
    report = Report.objects.select_for_update().get(pk=report.pk)
    changed = [name for name, value in changes.items() if getattr(report, name) != value]
    if not changed:
        return report
    before = {name: getattr(report, name) for name in changed}
    for name in changed:
        setattr(report, name, changes[name])
    report.revision += 1
    report.updated_at = timezone.now()
    report.full_clean()
    report.save(update_fields=[*changed, "revision", "updated_at"])
    _audit_text_change(report=report, user=user, before=before)
    return report


def _audit_text_change(*, report: Report, user, before: dict) -> None:
    """One line in the audit log: which texts of which report changed, old and new."""

    def shown(value) -> str:
        return value.isoformat() if isinstance(value, dt.date) else str(value)

    labels = {name: str(Report._meta.get_field(name).verbose_name) for name in before}
    audit.audit_record(
        actor=user,
        action="text_saved",
        obj=report,
        summary=_("Teks laporan diubah (revisi %(revision)s): %(title)s (%(fields)s)")
        % {"revision": report.revision, "title": report.title, "fields": ", ".join(labels.values())},
        changes={labels[name]: [shown(old), shown(getattr(report, name))] for name, old in before.items()},
    )


# --- building ---------------------------------------------------------------------------


def _next_version_number(report: Report) -> int:
    return (SignedVersion.objects.filter(report=report).aggregate(n=Max("number"))["n"] or 0) + 1


def build_create(*, report: Report, user=None) -> ReportBuild:
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report.pk)
        build = ReportBuild(
            report=report, revision=report.revision, version_number=_next_version_number(report), requested_by=user
        )
        build.full_clean()
        build.save()
    return build


def build_request(*, report: Report, user=None) -> ReportBuild:
    """Queue a draft build (background task); the report page shows its progress."""
    from .tasks import build_report

    _require_edit(user, report)
    build = build_create(report=report, user=user)
    build_report.enqueue(build.pk)
    return build


def _progress(build: ReportBuild, percent: int, step: str, status: str = ReportBuild.Status.RUNNING) -> None:
    # Outside any transaction, so the page polling the build sees each step. A build
    # already given up as dead is not brought back to "running".
    ReportBuild.objects.filter(pk=build.pk, status__in=[ReportBuild.Status.QUEUED, ReportBuild.Status.RUNNING]).update(
        progress=percent, step=step, status=status, heartbeat_at=timezone.now()
    )


def stale_after() -> dt.timedelta:
    return dt.timedelta(seconds=int(getattr(settings, "REPORT_BUILD_STALE_SECONDS", 120)))


def builds_fail_dead(*, build: ReportBuild | None = None) -> int:
    """Mark running builds whose worker stopped (no heartbeat for `stale_after()`) failed.

    Called when a page shows a build and when a worker starts a build; returns how many
    were marked. Only a build still running with an old heartbeat is touched, in one
    conditional UPDATE, so a worker that is alive and beating is never overruled.
    """
    builds = ReportBuild.objects.all() if build is None else ReportBuild.objects.filter(pk=build.pk)
    return fail_dead(builds, stale_after=stale_after(), error=_("Pekerja latar berhenti saat membuat draf ini."))


def build_check_alive(build: ReportBuild | None) -> ReportBuild | None:
    """The build as a page should show it: failed if its worker died meanwhile."""
    if build is not None and build.status == ReportBuild.Status.RUNNING and builds_fail_dead(build=build):
        build.refresh_from_db()
    return build


class _Heartbeat:
    """Beats every REPORT_BUILD_HEARTBEAT_SECONDS in a thread while one long step runs.

    WeasyPrint may take a while on a big report; without a beat in between, a live
    worker would look dead. The thread dies with its process (kill -9), as it should."""

    def __init__(self, build_id: int):
        self.build_id = build_id
        self.interval = float(getattr(settings, "REPORT_BUILD_HEARTBEAT_SECONDS", 10))
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, name=f"report-build-{build_id}-heartbeat", daemon=True)

    def _run(self) -> None:
        try:
            while not self.stop.wait(self.interval):
                ReportBuild.objects.filter(pk=self.build_id, status=ReportBuild.Status.RUNNING).update(
                    heartbeat_at=timezone.now()
                )
        except Exception:  # a missed beat is not worth failing the build for
            logger.warning("Heartbeat of report build %s stopped", self.build_id, exc_info=True)
        finally:
            connection.close()

    def __enter__(self):
        if self.interval > 0:
            self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        if self.thread.is_alive():
            self.thread.join(timeout=self.interval + 5)


def build_run(*, build_id: int) -> ReportBuild:
    """Make the draft PDF of a build: gather, render HTML, WeasyPrint, store with its SHA-256.

    First gives up builds whose worker died (so their pages stop waiting); a build that
    is done, already failed, or running in another live worker is left alone.
    """
    builds_fail_dead()
    build = ReportBuild.objects.select_related("report", "report__period").get(pk=build_id)
    if build.is_finished:
        return build
    if not claim(ReportBuild.objects.filter(pk=build.pk)):
        return build  # running in another worker that is still alive
    try:
        _progress(build, 5, _("Mengumpulkan data dan menyusun isi laporan"))
        htmls = rendering.build_htmls(build)
        rendered = htmls.draft
        _progress(build, 30, _("Membuat PDF (tata letak halaman)"))
        with _Heartbeat(build.pk):
            # One layout for the draft and the version the head of office may sign: signing
            # then only checks and signs (parts.prepared_take), it lays out nothing.
            both = rendering.htmls_to_pdfs(htmls)
            pdf = both.draft
            parts.prepared_store(build.verification_code, htmls.signed.sha256, both.signed.pdf)
        _progress(build, 90, _("Menyimpan berkas"))
        with transaction.atomic():
            build = ReportBuild.objects.select_for_update().get(pk=build.pk)
            build.file.save("draf.pdf", ContentFile(pdf.pdf), save=False)
            build.sha256 = hashlib.sha256(pdf.pdf).hexdigest()
            build.html_sha256 = rendered.sha256
            build.pages = pdf.pages
            build.status, build.progress, build.step = ReportBuild.Status.DONE, 100, _("Selesai")
            build.finished_at = timezone.now()
            build.save()
    except Exception as error:
        logger.exception("Report build %s failed", build_id)
        fail(ReportBuild.objects.filter(pk=build_id), error)
        raise
    _discard_superseded_prepared(build.report_id)
    parts.prune_unused()
    return build


def _discard_superseded_prepared(report_id: int) -> None:
    """Only the newest finished draft of a report keeps its prepared signed version: the others'
    are removed (a report's drafts would otherwise leave a whole report on disk each)."""
    builds = ReportBuild.objects.filter(report_id=report_id)
    newest = builds.filter(status=ReportBuild.Status.DONE).order_by("-pk").values_list("pk", flat=True).first()
    finished = (ReportBuild.Status.DONE, ReportBuild.Status.FAILED)
    superseded = builds.filter(status__in=finished).exclude(pk=newest)
    parts.prepared_discard(superseded.values_list("verification_code", flat=True))


# --- signing ----------------------------------------------------------------------------


def _check_signable(build: ReportBuild, report: Report) -> None:
    if build.status != ReportBuild.Status.DONE or not build.file:
        raise ValidationError(_("Draf belum selesai dibuat."))
    if build.revision != report.revision:
        raise ValidationError(_("Isian laporan telah diubah sejak draf ini dibuat. Buat draf baru."))
    if build.version_number != _next_version_number(report):
        raise ValidationError(_("Sudah ada versi bertanda tangan yang lebih baru. Buat draf baru."))
    if SignedVersion.objects.filter(verification_code=build.verification_code).exists():
        raise ValidationError(_("Draf ini sudah ditandatangani."))


def signing_passphrase(*, user, secret: str) -> str:
    """The certificate's passphrase for a signer who typed `secret` at the moment of signing.

    `secret` is the passphrase itself, or, when the server holds the passphrase
    (REPORT_SIGNING_PASSPHRASE), the user's own password (a re-login).
    """
    configured = signing.configured_passphrase()
    if not configured:
        return secret
    if user is None or not user.check_password(secret):
        raise ValidationError({"secret": _("Kata sandi salah.")})
    return configured


def signing_identity(*, passphrase: str) -> signing.SigningIdentity:
    """The office's certificate, ready to sign; ValidationError (in Indonesian) when signing is not possible.

    Refused in production while SITE_URL is not the office's public https:// address: the
    verification link is locked into every signed file.
    """
    try:
        signing.check_site()
        return signing.load_identity(passphrase)
    except signing.SigningError as error:
        raise ValidationError(str(error), code="signing") from error


def signed_version_store(
    *,
    pdf: bytes,
    identity: signing.SigningIdentity,
    code: str,
    number: int,
    title: str,
    reason: str,
    location: str,
    signer_name: str,
    signer_title: str,
    signer_rank: str = "",
    signer_nip: str = "",
    user=None,
    report: Report | None = None,
    meeting=None,
    build: ReportBuild | None = None,
) -> SignedVersion:
    """PAdES-sign a finished PDF (rendered with its signed marks) and store it as an immutable version.

    For any signed document, a report version or a letter; the caller holds the transaction
    and the locks of what is being signed.
    """
    signed = signing.sign_pdf(pdf, identity=identity, reason=reason, location=location, name=signer_name)
    version = SignedVersion(
        report=report,
        meeting=meeting,
        number=number,
        build=build,
        verification_code=code,
        verification_url=signing.verify_url(code),
        sha256=hashlib.sha256(signed).hexdigest(),
        size=len(signed),
        title=title[:300],
        signer=user,
        signer_name=signer_name,
        signer_title=signer_title,
        signer_rank=signer_rank,
        signer_nip=signer_nip,
        signed_at=timezone.now(),
        certificate_subject=identity.subject[:500],
        certificate_issuer=identity.issuer[:500],
        certificate_sha256=identity.sha256,
        certificate_pem=identity.pem,
        certificate_is_bsre=signing.cert_is_bsre() and not identity.self_signed,
    )
    version.file.save("dokumen.pdf", ContentFile(signed), save=False)
    version.full_clean()
    version.save()
    return version


def _sign(
    *,
    build: ReportBuild,
    passphrase: str,
    user=None,
    check_data: bool = True,
    identity: signing.SigningIdentity | None = None,
) -> SignedVersion:
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=build.report_id)
        build = ReportBuild.objects.select_for_update().get(pk=build.pk)
        _check_signable(build, report)
        if check_data:
            htmls = rendering.build_htmls(build)
            if htmls.draft.sha256 != build.html_sha256:
                raise ValidationError(
                    _("Data laporan berubah sejak draf ini dibuat. Buat draf baru lalu periksa kembali.")
                )
            signed_html = htmls.signed
        else:  # built a moment ago in this process (report_build_now): its prepared version
            signed_html = None
        with build.file.open("rb") as handle:
            draft = handle.read()
        if hashlib.sha256(draft).hexdigest() != build.sha256:
            raise ValidationError(_("Berkas draf tidak sama dengan yang dibuat. Buat draf baru."))
        identity = identity or signing_identity(passphrase=passphrase)
        # The reviewed draft's content, now with the statement, QR code and link instead of DRAF.
        # Painted with the draft from the same layout when this HTML was built (the usual
        # case); laid out now otherwise (e.g. the site address changed since).
        prepared = parts.prepared_take(build.verification_code, signed_html.sha256 if signed_html else None)
        if prepared is not None:
            final = rendering.RenderedPdf(pdf=prepared, pages=build.pages)
        else:
            final = rendering.html_to_pdf((signed_html or rendering.build_html(build, signed=True)).html)
        if build.pages and final.pages != build.pages:
            raise ValidationError(_("Tata letak versi bertanda tangan berbeda dari draf. Buat draf baru."))
        office = OfficeProfile.get()
        signer_name = office.head_name or (user.get_full_name() if user else "")
        version = signed_version_store(
            pdf=final.pdf,
            identity=identity,
            code=build.verification_code,
            number=build.version_number,
            title=report.title,
            reason=_("Menyetujui %(title)s") % {"title": report.title},
            location=report.place or office.city,
            signer_name=signer_name,
            signer_title=office.head_title,
            signer_rank=office.head_rank,
            signer_nip=office.head_nip,
            user=user,
            report=report,
            build=build,
        )
        audit.audit_record(
            actor=user,
            action="report_signed",
            obj=version,
            summary=_("Laporan \u201c%(title)s\u201d versi %(number)s ditandatangani oleh %(name)s (kode %(code)s).")
            % {"title": report.title, "number": version.number, "name": signer_name, "code": version.verification_code},
            links=(report,),
        )
    return version


def report_sign(*, build: ReportBuild, user, secret: str) -> SignedVersion:
    """The head of office signs a reviewed draft.

    `secret` is asked at the moment of signing: the certificate's passphrase, or, when
    the passphrase is configured on the server (REPORT_SIGNING_PASSPHRASE), the user's
    own password (a re-login). Either wrong: ValidationError, nothing stored.
    """
    if not has_permission(user, "reports.sign"):
        raise PermissionDenied
    return _sign(build=build, passphrase=signing_passphrase(user=user, secret=secret), user=user)


def report_build_now(*, report: Report, sign: bool = False, passphrase: str = "", user=None) -> tuple[bytes, object]:
    """Build (and optionally sign) in this process: the command line and the demo.

    Returns the PDF bytes and the SignedVersion (or the unsigned build).
    """
    # Refused before the slow build, not after; opened once (a PKCS#12 takes ~0.1 s to open).
    identity = signing_identity(passphrase=passphrase) if sign else None
    build = build_create(report=report, user=user)
    build = build_run(build_id=build.pk)
    if not sign:
        with build.file.open("rb") as handle:
            return handle.read(), build
    version = _sign(build=build, passphrase=passphrase, user=user, check_data=False, identity=identity)
    with version.file.open("rb") as handle:
        return handle.read(), version


def year_report(*, year: int, user=None) -> Report:
    """The year's follow-up report, created with default texts when it does not exist yet."""
    report = Report.objects.filter(kind=Report.Kind.FOLLOWUP, year=year).first()
    return report or report_create(kind=Report.Kind.FOLLOWUP, year=year, user=user)


def parse_year(value) -> int:
    year = int(value)
    if not 2000 <= year <= dt.date.today().year + 1:
        raise ValidationError(_("Tahun tidak valid."))
    return year
