"""The hook through which other apps add documents to a report's appendix (lampiran).

The report asks for "appendix documents of the year" without knowing what they are. An
app offers them by defining, in one of `PROVIDERS`, a function

    def report_appendix_documents(*, year: int) -> Iterable[AppendixDocument | dict]

returning, in the order they should appear, items with:

- ``title``: the heading shown above the document in the appendix and in the table of
  contents ("Undangan Rapat Evaluasi SP dan SOP, 11 November 2024");
- ``template``: an includable fragment (no <html>/<body>), e.g.
  ``"followup/documents/invitation.html"``, styled by static/css/documents.css;
- ``context``: what the fragment needs (the report adds ``office``, the OfficeProfile);
- optionally ``date`` (a date, for ordering), ``kind`` (a short key such as
  "undangan", "notula", "daftar-hadir", "berita-acara"), ``section`` and ``new_page``
  (default True).

The appendix follows the seed report's order whatever the dates: each period's results
(the report's own), then the meetings' documents (section "rapat": invitation, notula,
daftar hadir), then the FKP's (section "fkp": invitation, absensi, berita acara), then
any other section, then the other evidence (the report's own). Within a section the
provider's order is kept.

The provider must read the database in a fixed number of queries (prefetching), however
many meetings and attendees there are: the report's speed requirement counts them.
Until a provider exists the appendix simply has no such documents.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

# Looked up in this order; the first module that defines the function is used.
PROVIDERS: tuple[tuple[str, str], ...] = (("followup.meetings.selectors", "report_appendix_documents"),)


@dataclass(frozen=True)
class AppendixDocument:
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    date: dt.date | None = None
    kind: str = ""
    new_page: bool = True
    section: str = ""


SECTION_ORDER = ("rapat", "fkp")


def _section_rank(document: AppendixDocument) -> int:
    return SECTION_ORDER.index(document.section) if document.section in SECTION_ORDER else len(SECTION_ORDER)


def _coerce(item: Any) -> AppendixDocument:
    if isinstance(item, AppendixDocument):
        return item
    get = item.get if isinstance(item, dict) else (lambda name, default=None: getattr(item, name, default))
    title, template = get("title"), get("template")
    if not title or not template:
        raise ValueError("Dokumen lampiran memerlukan 'title' dan 'template'.")
    return AppendixDocument(
        title=str(title),
        template=str(template),
        context=dict(get("context", None) or {}),
        date=get("date", None),
        kind=str(get("kind", "") or ""),
        new_page=bool(get("new_page", True)),
        section=str(get("section", "") or ""),
    )


def _providers() -> Iterable:
    for module_name, attribute in PROVIDERS:
        try:
            module = import_module(module_name)
        except ImportError:
            continue
        provider = getattr(module, attribute, None)
        if callable(provider):
            yield provider
            return


def appendix_documents(*, year: int) -> list[AppendixDocument]:
    """The provider's documents for the year, meetings before the FKP, otherwise in the
    provider's order ([] while there is no provider)."""
    documents: list[AppendixDocument] = []
    for provider in _providers():
        documents.extend(_coerce(item) for item in provider(year=year) or ())
    return sorted(documents, key=_section_rank)  # stable: the provider's order within a section
