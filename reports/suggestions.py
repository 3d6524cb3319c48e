"""The saran of a period as a reader takes them in: grouped by the element they speak of.

Pure Python. Each distinct suggestion (same words, case and spacing aside, counted once
with how many respondents wrote it) goes to the element whose keywords it mentions most;
ties go to the element that comes first in the questionnaire, and a suggestion that names
none goes to "Lainnya". Keywords: a list per element of the PermenPAN-RB questionnaire,
plus the words of the element's own name (so an element the office added still gathers
the suggestions that name it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

# Stems matched at the start of a word ("lama" finds "lamanya", not "kelamaan").
KEYWORDS: dict[str, tuple[str, ...]] = {
    "persyaratan": ("syarat", "persyaratan", "dokumen", "berkas", "kelengkapan"),
    "prosedur": ("prosedur", "alur", "tahapan", "mekanisme", "sistem", "aplikasi", "online", "daring", "ribet"),
    "waktu pelayanan": ("waktu", "cepat", "dipercepat", "lama", "lambat", "antre", "antri", "tunggu", "menunggu"),
    "biaya/tarif": ("biaya", "tarif", "bayar", "gratis", "mahal", "murah", "pungutan"),
    "produk layanan": ("produk", "hasil", "terbit", "sertifikat", "salah ketik", "keliru"),
    "kompetensi pelaksana": ("kompeten", "kompetensi", "kemampuan", "paham", "menguasai", "terampil"),
    "perilaku pelaksana": ("ramah", "sopan", "sikap", "perilaku", "senyum", "judes", "jutek"),
    "sarana dan prasarana": ("ruang", "kursi", "parkir", "toilet", "fasilitas", "sarana", "gedung", "ac", "wifi"),
    "penanganan pengaduan": ("pengaduan", "aduan", "keluhan", "komplain", "respon", "tanggap"),
    "transparansi pelayanan": ("informasi", "website", "situs", "transparan", "notifikasi", "status", "sosialisasi"),
    "integritas petugas pelayanan": ("suap", "pungli", "gratifikasi", "integritas", "imbalan"),
}
NAME_STOPWORDS = {"dan", "yang", "pelayanan", "layanan", "petugas", "pelaksana", "unit"}


@dataclass(frozen=True)
class SuggestionItem:
    text: str
    count: int


@dataclass
class SuggestionGroup:
    code: str  # element code, "" for Lainnya
    label: str
    items: list[SuggestionItem] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(item.count for item in self.items)


def _words(text: str) -> list[str]:
    return re.findall(r"[0-9a-z]+", text.casefold())


def _keywords(name: str) -> tuple[str, ...]:
    listed = KEYWORDS.get(" ".join(name.casefold().split()), ())
    own = tuple(w for w in _words(name) if len(w) >= 4 and w not in NAME_STOPWORDS and w not in listed)
    return listed + own


def _score(words: list[str], joined: str, keywords: Iterable[str]) -> int:
    score = 0
    for keyword in keywords:
        if " " in keyword:
            score += keyword in joined
        else:
            score += any(word.startswith(keyword) for word in words)
    return score


def _key(text: str) -> str:
    return " ".join(_words(text))


def group_suggestions(
    texts: Sequence[tuple[str, int]], elements: Sequence[tuple[str, str]], *, limit: int | None = None
) -> list[SuggestionGroup]:
    """Group (text, count) pairs under the elements (code, name); most frequent first within a group.

    `limit` keeps the most frequent distinct suggestions only (the caller says how many were left out).
    """
    merged: dict[str, SuggestionItem] = {}
    for text, count in texts:
        text = " ".join(text.split())
        key = _key(text)
        if not key:
            continue
        known = merged.get(key)
        merged[key] = SuggestionItem(known.text if known else text, (known.count if known else 0) + count)
    items = sorted(merged.values(), key=lambda item: (-item.count, item.text.casefold()))
    if limit is not None:
        items = items[:limit]
    groups = [SuggestionGroup(code, f"{code} {name}") for code, name in elements]
    keywords = [_keywords(name) for _code, name in elements]
    other = SuggestionGroup("", _("Lainnya"))
    for item in items:
        words = _words(item.text)
        joined = " ".join(words)
        scores = [_score(words, joined, k) for k in keywords]
        best = max(scores, default=0)
        (groups[scores.index(best)] if best else other).items.append(item)
    return [g for g in groups if g.items] + ([other] if other.items else [])
