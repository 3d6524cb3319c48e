"""One way every officer's list searches, filters, sorts, pages and exports.

A list declares a `ListFilterForm` subclass: which fields a search looks in, which date
field a date range limits, which columns may be sorted (a whitelist: the URL names a key,
never a field), and its own filters in `filter_queryset`. `listing_page` applies the form
to a queryset and pages it; `listing_export` writes exactly the filtered, sorted list to
xlsx or CSV (the project's one writer, `skm_portal.exporting`). The templates
`portal/_list_filters.html` and `portal/_list_pages.html` render the controls; the tag
`{% sort_header %}` (templatetags/listing.py) renders a sortable column heading.

Pages count at most `COUNT_CAP + 1` rows (a `LIMIT` inside the count), so a table of
100,000 rows pages as fast as one of 100; above the cap the page says "more than 10.000".
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from django import forms
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import Q, QuerySet
from django.http import FileResponse, QueryDict, StreamingHttpResponse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .exporting import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, Sheet, csv_chunks, write_xlsx_to

PER_PAGE = 25
COUNT_CAP = 10_000
SEARCH_MAX = 100
EXPORT_FORMATS = ("xlsx", "csv")
# A list's xlsx is written to a temporary file that stays in memory up to this size and moves
# to disk beyond it, then sent from there: a year of responses never sits whole in memory.
XLSX_IN_MEMORY_BYTES = 4 * 1024 * 1024
DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"]


def _date_field(label) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": gettext_lazy("Tanggal tidak valid; gunakan format hari-bulan-tahun.")},
    )


class ListFilterForm(forms.Form):
    """Search, date range and sort of a list; subclasses add their own filters.

    Class attributes a list sets:
    - `search_fields`: lookups a search term is matched against (`icontains`), any of them;
    - `date_field`: the field (date or datetime) the date range limits, or "" for none;
    - `sorts`: {key: (label, order_by fields[, descending fields])}; "-key" in the URL sorts
      descending: the given descending fields, or else every field reversed;
    - `default_sort`: the key (with "-" for descending) used when the URL names none.
    """

    search_fields: Sequence[str] = ()
    date_field: str = ""
    sorts: dict[str, tuple] = {}
    default_sort: str = ""
    search_label = gettext_lazy("Cari")
    search_placeholder = gettext_lazy("Kata kunci")

    q = forms.CharField(required=False, max_length=SEARCH_MAX, strip=True)
    date_from = _date_field(gettext_lazy("Dari tanggal"))
    date_to = _date_field(gettext_lazy("Sampai tanggal"))
    # A select as well as the column headings: on a phone the headings are hidden (stacked rows).
    sort = forms.CharField(label=gettext_lazy("Urutkan"), required=False, widget=forms.Select, max_length=40)

    def __init__(self, data: QueryDict | None = None, **kwargs):
        super().__init__(data if data is not None else QueryDict(), **kwargs)
        self.fields["q"].label = self.search_label
        self.fields["q"].widget.attrs["placeholder"] = self.search_placeholder
        self.fields["q"].error_messages["max_length"] = _("Kata kunci paling panjang %(n)s karakter.") % {
            "n": SEARCH_MAX
        }
        self.fields["sort"].widget.choices = [("", _("Urutan bawaan"))] + [
            choice
            for key, spec in self.sorts.items()
            for choice in ((key, _("%(column)s (naik)") % {"column": spec[0]}),
                           (f"-{key}", _("%(column)s (turun)") % {"column": spec[0]}))
        ]  # fmt: skip
        if not self.sorts:
            del self.fields["sort"]
        if not self.search_fields:
            del self.fields["q"]
        if not self.date_field:
            del self.fields["date_from"], self.fields["date_to"]
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.HiddenInput):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()

    def clean_sort(self) -> str:
        value = self.cleaned_data.get("sort") or ""
        return value if value.removeprefix("-") in self.sorts else ""

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("Tanggal awal harus sebelum atau sama dengan tanggal akhir."))
        return cleaned

    @cached_property
    def data_ok(self) -> dict:
        """The valid filters: on bad input no filter applies (and the form shows why)."""
        return self.cleaned_data if self.is_valid() else {}

    @property
    def current_sort(self) -> str:
        return self.data_ok.get("sort") or self.default_sort

    @property
    def visible_filters(self) -> list:
        return [field for field in self if not field.is_hidden]

    # --- applying ---------------------------------------------------------------------

    def filter_queryset(self, queryset: QuerySet, data: dict) -> QuerySet:
        """The list's own filters (status, step, service ...); override in subclasses."""
        return queryset

    def apply(self, queryset: QuerySet) -> QuerySet:
        data = self.data_ok
        term = data.get("q")
        if term and self.search_fields:
            condition = Q()
            for lookup in self.search_fields:
                condition |= Q(**{f"{lookup}__icontains": term})
            queryset = queryset.filter(condition)
        if self.date_field:
            queryset = self._date_range(queryset, data.get("date_from"), data.get("date_to"))
        queryset = self.filter_queryset(queryset, data)
        sort = self.current_sort
        if sort:
            descending = sort.startswith("-")
            spec = self.sorts[sort.removeprefix("-")]
            if descending:
                order = list(spec[2]) if len(spec) > 2 else [self._flip(f) for f in spec[1]]
            else:
                order = list(spec[1])
            queryset = queryset.order_by(*order)
        return queryset

    def _date_range(self, queryset: QuerySet, start: dt.date | None, end: dt.date | None) -> QuerySet:
        field = queryset.model._meta.get_field(self.date_field.split("__")[0])
        if field.get_internal_type() == "DateTimeField":
            # Whole WITA days: from 00.00 of the first day to before 00.00 after the last.
            zone = timezone.get_current_timezone()
            if start:
                queryset = queryset.filter(
                    **{f"{self.date_field}__gte": dt.datetime.combine(start, dt.time.min, tzinfo=zone)}
                )
            if end:
                after = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
                queryset = queryset.filter(**{f"{self.date_field}__lt": after})
        else:
            if start:
                queryset = queryset.filter(**{f"{self.date_field}__gte": start})
            if end:
                queryset = queryset.filter(**{f"{self.date_field}__lte": end})
        return queryset

    @staticmethod
    def _flip(field: str) -> str:
        return field[1:] if field.startswith("-") else f"-{field}"


class CappedPaginator(Paginator):
    """A paginator whose count stops at `cap + 1` rows: the count costs at most a page of cap."""

    def __init__(self, object_list, per_page, *, cap: int | None = None, **kwargs):
        self.cap = COUNT_CAP if cap is None else cap
        super().__init__(object_list, per_page, **kwargs)

    @cached_property
    def count(self) -> int:
        # SELECT COUNT(*) FROM (SELECT ... LIMIT cap + 1): the database stops after cap + 1 rows.
        return self.object_list.order_by()[: self.cap + 1].count()

    @property
    def is_capped(self) -> bool:
        return self.count > self.cap

    def validate_number(self, number) -> int:
        if not self.is_capped:
            return super().validate_number(number)
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(_("Nomor halaman harus bilangan bulat.")) from None
        if number < 1:
            raise EmptyPage(_("Nomor halaman paling kecil 1."))
        return number

    def page(self, number):
        """Past the cap the last page is unknown: fetch one row more to know if another follows."""
        if not self.is_capped:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not rows and number > 1:
            raise EmptyPage(_("Halaman itu tidak berisi data."))
        return CappedPage(rows[: self.per_page], number, self, more=len(rows) > self.per_page)


class CappedPage(Page):
    def __init__(self, object_list, number, paginator, *, more: bool):
        super().__init__(object_list, number, paginator)
        self.more = more

    def has_next(self) -> bool:
        return self.more


@dataclass
class Listing:
    """What a list template needs: the page of rows, the form, the links' query strings."""

    page: object
    paginator: CappedPaginator
    form: ListFilterForm
    query: QueryDict  # the request's filters without page/format (for page and sort links)

    @property
    def total_label(self) -> str:
        from .numbers import format_int

        if self.paginator.is_capped:
            return _("lebih dari %(n)s") % {"n": format_int(self.paginator.cap)}
        return format_int(self.paginator.count)

    @property
    def search_field(self):
        return self.form["q"] if "q" in self.form.fields else None

    @property
    def other_filters(self) -> list:
        return [field for field in self.form.visible_filters if field.name != "q"]

    @property
    def filters_in_use(self) -> bool:
        """Any filter besides the search term set (or wrong): the filter panel opens."""
        used = any(value for key, values in self.query.lists() if key != "q" for value in values)
        return used or any(field.errors for field in self.other_filters)

    def query_with(self, **changes) -> str:
        query = self.query.copy()
        for key, value in changes.items():
            query.pop(key, None)
            if value not in (None, ""):
                query[key] = value
        return query.urlencode()


def _clean_query(request) -> QueryDict:
    query = request.GET.copy()
    for key in ("page", "format"):
        query.pop(key, None)
    return query


def listing_page(request, queryset: QuerySet, form: ListFilterForm, *, per_page: int | None = None) -> Listing:
    """Filter, sort and page `queryset` by the request; a bad page number shows the nearest page."""
    paginator = CappedPaginator(form.apply(queryset), per_page or PER_PAGE)
    number = request.GET.get("page") or 1
    try:
        page = paginator.page(number)
    except PageNotAnInteger:
        page = paginator.page(1)
    except EmptyPage:
        page = paginator.page(1 if paginator.is_capped else paginator.num_pages)
    return Listing(page=page, paginator=paginator, form=form, query=_clean_query(request))


def export_format(request, form: ListFilterForm) -> str:
    """'xlsx' or 'csv' when the request asks for an export of a valid filter, else ''.

    With a wrong filter the page answers instead (showing why), never a file of some other list.
    """
    value = request.GET.get("format", "")
    return value if value in EXPORT_FORMATS and form.is_valid() else ""


def listing_export(
    *,
    queryset: QuerySet,
    form: ListFilterForm,
    fmt: str,
    title: str,
    header: Sequence[str],
    row: Callable[[object], Sequence[object]],
    filename: str,
) -> StreamingHttpResponse:
    """The whole filtered, sorted list (not only the page) as an xlsx or CSV download."""
    return rows_export(queryset=form.apply(queryset), fmt=fmt, title=title, header=header, row=row, filename=filename)


def rows_export(
    *,
    queryset: QuerySet,
    fmt: str,
    title: str,
    header: Sequence[str],
    row: Callable[[object], Sequence[object]],
    filename: str,
) -> StreamingHttpResponse:
    """`queryset` (already filtered and sorted by its list) as an xlsx or CSV download. Neither is
    ever whole in memory: the CSV is streamed in chunks of rows as the database cursor reads them,
    the xlsx (a zip, whose directory comes last) is written to a temporary file and sent from it."""
    objects = queryset.iterator(chunk_size=2000)

    def rows() -> Iterator[Sequence[object]]:
        yield list(header)
        for obj in objects:
            yield row(obj)

    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if fmt == "csv":  # streamed as it is read: a year of responses never sits in memory
        response = StreamingHttpResponse(csv_chunks(rows()), content_type=CSV_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.csv"'
        return response
    workbook = tempfile.SpooledTemporaryFile(max_size=XLSX_IN_MEMORY_BYTES)  # noqa: SIM115 (the response closes it)
    try:
        write_xlsx_to(workbook, [Sheet(title=title[:31], rows=rows())])
    except BaseException:
        workbook.close()
        raise
    workbook.seek(0)  # FileResponse closes it once sent
    return FileResponse(
        workbook, as_attachment=True, filename=f"{filename}-{stamp}.xlsx", content_type=XLSX_CONTENT_TYPE
    )


def local_text(moment: dt.datetime | None) -> str:
    """A moment as export text in WITA (spreadsheets have no time zones)."""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""
