"""Writes of survey master data: services, periods and published aggregates.

Every function is keyword-only, runs in one transaction and validates with the model's
`full_clean()` before saving, so a form, the admin or a script get the same rules.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from skm_portal import audit
from skm_portal.permissions import has_permission

from .models import Period, PublishedElementResult, Questionnaire, Service

INDEX_PLACES = 3
MIN_INDEX, MAX_INDEX = Decimal(25), Decimal(100)
SERVICE_FIELDS = ["code", "name", "is_active", "order"]
PERIOD_FIELDS = ["name", "kind", "start_date", "end_date", "service_users", "is_public", "source"]


def _require_manage(actor) -> None:
    """Services check the acting user themselves (None: the system, e.g. a command or the demo)."""
    if actor is not None and not has_permission(actor, "surveys.manage"):
        raise PermissionDenied(_("Hanya administrator dan petugas SKM yang dapat mengelola data survei."))


@transaction.atomic
def service_create(*, code: str, name: str, is_active: bool = True, order: int = 0, actor=None) -> Service:
    _require_manage(actor)
    service = Service(code=code, name=name.strip(), is_active=is_active, order=order)
    service.full_clean()
    service.save()
    audit.audit_record(
        actor=actor,
        action="created",
        obj=service,
        summary=_("Jenis layanan %(code)s \u2013 %(name)s dibuat.") % {"code": service.code, "name": service.name},
    )
    return service


@transaction.atomic
def service_update(*, service: Service, code: str, name: str, is_active: bool, order: int, actor=None) -> Service:
    _require_manage(actor)
    before = audit.snapshot(Service.objects.get(pk=service.pk), SERVICE_FIELDS)
    service.code, service.name, service.is_active, service.order = code, name.strip(), is_active, order
    service.full_clean()
    service.save()
    changes = audit.changes_of(service, before, SERVICE_FIELDS)
    if changes:
        audit.audit_record(
            actor=actor,
            action="updated",
            obj=service,
            summary=_("Jenis layanan %(code)s diubah.") % {"code": service.code},
            changes=changes,
        )
    return service


@transaction.atomic
def service_remove(*, service: Service, actor=None) -> bool:
    """Delete a service nobody used; one with responses or links is deactivated instead.

    Returns True when deleted, False when only deactivated (its history stays intact).
    """
    _require_manage(actor)
    service = Service.objects.select_for_update().get(pk=service.pk)
    if service.responses.exists() or service.tokens.exists():
        if service.is_active:
            service.is_active = False
            service.save(update_fields=["is_active"])
            audit.audit_record(
                actor=actor,
                action="deactivated",
                obj=service,
                summary=_("Jenis layanan %(code)s dinonaktifkan (sudah dipakai, tidak dihapus).")
                % {"code": service.code},
            )
        return False
    audit.audit_record(
        actor=actor,
        action="deleted",
        obj=service,
        summary=_("Jenis layanan %(code)s \u2013 %(name)s dihapus.") % {"code": service.code, "name": service.name},
    )
    service.delete()
    return True


@transaction.atomic
def period_create(
    *,
    name: str,
    kind: str,
    start_date: dt.date,
    end_date: dt.date,
    service_users: int | None = None,
    is_public: bool = True,
    source: str = Period.Source.COMPUTED,
    actor=None,
) -> Period:
    _require_manage(actor)
    period = Period(
        name=name,
        kind=kind,
        start_date=start_date,
        end_date=end_date,
        service_users=service_users,
        is_public=is_public,
        source=source,
    )
    period.full_clean()
    period.save()
    audit.audit_record(
        actor=actor, action="created", obj=period, summary=_("Periode %(name)s dibuat.") % {"name": period.name}
    )
    return period


@transaction.atomic
def period_update(
    *,
    period: Period,
    name: str,
    kind: str,
    start_date: dt.date,
    end_date: dt.date,
    service_users: int | None,
    is_public: bool,
    source: str,
    actor=None,
) -> Period:
    _require_manage(actor)
    before = audit.snapshot(Period.objects.get(pk=period.pk), PERIOD_FIELDS)
    period.name, period.kind, period.start_date, period.end_date = name, kind, start_date, end_date
    period.service_users, period.is_public, period.source = service_users, is_public, source
    period.full_clean()
    period.save()
    changes = audit.changes_of(period, before, PERIOD_FIELDS)
    if changes:
        audit.audit_record(
            actor=actor,
            action="updated",
            obj=period,
            summary=_("Periode %(name)s diubah.") % {"name": period.name},
            changes=changes,
        )
    return period


def parse_index(raw) -> Decimal:
    """An element index as typed or stored in a cell: '94,79', '94.79' or 94.79.

    Raises ValueError with a message for the user: 25-100, at most 3 decimals.
    """
    if isinstance(raw, bool) or raw is None or (isinstance(raw, str) and not raw.strip()):
        raise ValueError(_("wajib diisi (25-100)"))
    if isinstance(raw, float):
        text = repr(raw)
    else:
        text = str(raw).strip().replace(" ", "")
        if text.count(",") == 1 and "." not in text:
            text = text.replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = None
    shown = str(raw).replace(".", ",") if isinstance(raw, float | int) else str(raw)
    if value is None or not value.is_finite():
        raise ValueError(_("harus angka 25-100, mis. 94,79 (tertulis '%(value)s')") % {"value": shown})
    if not MIN_INDEX <= value <= MAX_INDEX:
        raise ValueError(_("harus antara 25 dan 100 (tertulis '%(value)s')") % {"value": shown})
    if value != value.quantize(Decimal(1).scaleb(-INDEX_PLACES)):
        raise ValueError(_("paling banyak 3 angka di belakang koma (tertulis '%(value)s')") % {"value": shown})
    return value


@transaction.atomic
def published_results_set(
    *,
    period: Period,
    respondents: int,
    source_note: str,
    indices: Mapping[str, Decimal],
    questionnaire: Questionnaire | None = None,
    actor=None,
) -> Period:
    """Replace a period's published aggregates: one index per element, and mark it published.

    `indices` must hold exactly the element codes of the (active) questionnaire; names,
    weights and order are copied from it so the results keep them if it changes later.
    """
    _require_manage(actor)
    questionnaire = questionnaire or Questionnaire.active()
    elements = list(questionnaire.elements.all())
    codes = {e.code for e in elements}
    missing = [e.code for e in elements if e.code not in indices]
    unknown = sorted(set(indices) - codes)
    if missing or unknown:
        problems = []
        if missing:
            problems.append(_("Indeks unsur belum diisi: %(codes)s.") % {"codes": ", ".join(missing)})
        if unknown:
            problems.append(_("Kode unsur tidak dikenal: %(codes)s.") % {"codes": ", ".join(unknown)})
        raise ValidationError(problems)
    if respondents is None or respondents < 1:
        raise ValidationError({"published_respondents": _("Jumlah responden harus lebih dari nol.")})
    period = Period.objects.select_for_update().get(pk=period.pk)
    period.published_respondents = respondents
    period.source_note = source_note.strip()
    period.source = Period.Source.PUBLISHED
    period.full_clean()
    period.save(update_fields=["published_respondents", "source_note", "source"])
    old_indices = {row.code: str(row.index) for row in period.published_results.all()}
    period.published_results.all().delete()
    rows = []
    for element in elements:
        row = PublishedElementResult(
            period=period,
            code=element.code,
            name=element.name,
            index=indices[element.code],
            weight=element.weight,
            order=element.order,
        )
        row.full_clean(exclude=["period"], validate_unique=False)
        rows.append(row)
    PublishedElementResult.objects.bulk_create(rows)
    audit.audit_record(
        actor=actor,
        action="published_set",
        obj=period,
        summary=_("Hasil terbit periode %(name)s diisi: %(respondents)s responden, %(count)s unsur.")
        % {"name": period.name, "respondents": respondents, "count": len(rows)},
        changes={
            row.code: [old_indices.get(row.code, ""), str(row.index)]
            for row in rows
            if old_indices.get(row.code) != str(row.index)
        },
    )
    return period


# --- standard periods ---------------------------------------------------------------------

ROMAN = ("I", "II", "III", "IV")


def standard_periods_of(year: int) -> list[tuple[str, str, dt.date, dt.date]]:
    """(name, kind, start, end) of the year's two semesters and four quarters (triwulan)."""
    periods = [
        (f"Semester I {year}", Period.Kind.SEMESTER, dt.date(year, 1, 1), dt.date(year, 6, 30)),
        (f"Semester II {year}", Period.Kind.SEMESTER, dt.date(year, 7, 1), dt.date(year, 12, 31)),
    ]
    for quarter in range(4):
        start = dt.date(year, quarter * 3 + 1, 1)
        end = (dt.date(year + 1, 1, 1) if quarter == 3 else dt.date(year, quarter * 3 + 4, 1)) - dt.timedelta(days=1)
        periods.append((f"Triwulan {ROMAN[quarter]} {year}", Period.Kind.TRIWULAN, start, end))
    return periods


def standard_periods_ensure(*, today: dt.date | None = None) -> list[Period]:
    """Make sure every year that has responses has its semesters and quarters that have
    begun, so results appear without an officer first creating a period. A period counts
    as present when any period (of any kind or name) has the same dates; officers may
    add others. Idempotent, cheap when nothing is missing, safe under concurrent reads
    (PostgreSQL: a transaction-level advisory lock)."""
    from django.db import connection
    from django.db.models import Max, Min
    from django.utils import timezone

    from .models import Response

    today = today or timezone.localdate()
    span = Response.objects.aggregate(first=Min("survey_date"), last=Max("survey_date"))
    if span["first"] is None:
        return []
    wanted = [
        entry
        for year in range(span["first"].year, min(span["last"].year, today.year) + 1)
        for entry in standard_periods_of(year)
        if entry[2] <= today
    ]
    if not wanted:
        return []
    existing = set(Period.objects.filter(start_date__gte=wanted[0][2]).values_list("start_date", "end_date"))
    if all((start, end) in existing for _name, _kind, start, end in wanted):
        return []
    created = []
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [0x534B4D50])  # "SKMP": one creator at a time
        existing = set(Period.objects.filter(start_date__gte=wanted[0][2]).values_list("start_date", "end_date"))
        for name, kind, start, end in wanted:
            if (start, end) not in existing:
                created.append(period_create(name=name, kind=kind, start_date=start, end_date=end))
    return created
