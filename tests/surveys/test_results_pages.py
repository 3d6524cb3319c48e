"""Results pages: the seed's tables reproduced, computed periods checked by brute force,
public pages without login and without saran, permissions."""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal
from html import unescape
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from skm_portal.permissions import ACTIONS
from skm_portal.roles import Role
from surveys.models import Period, Questionnaire, Response, Service

# Typed in from the seed report, Tabel 2.1 and 2.2 (as printed: "90,9", "Sangat baik").
SEED_TABEL_2_1 = [
    ("U1", "Persyaratan", "94,79", "A", "Sangat Baik"),
    ("U2", "Prosedur", "92,05", "A", "Sangat Baik"),
    ("U3", "Waktu Pelayanan", "85,87", "B", "Baik"),
    ("U4", "Biaya/Tarif", "90,9", "A", "Sangat Baik"),
    ("U5", "Produk Layanan", "89,14", "A", "Sangat Baik"),
    ("U6", "Kompetensi Pelaksana", "93,2", "A", "Sangat Baik"),
    ("U7", "Perilaku Pelaksana", "95,67", "A", "Sangat Baik"),
    ("U8", "Sarana dan Prasarana", "92,85", "A", "Sangat Baik"),
    ("U9", "Penanganan Pengaduan", "96,82", "A", "Sangat baik"),
    ("U10", "Transparansi Pelayanan", "91,86", "A", "Sangat Baik"),
    ("U11", "Integritas Petugas Pelayanan", "93,02", "A", "Sangat Baik"),
]
SEED_TABEL_2_2 = [
    ("U1", "Persyaratan", "94,72", "A", "Sangat Baik"),
    ("U2", "Prosedur", "83,85", "B", "Baik"),
    ("U3", "Waktu Pelayanan", "81,52", "B", "Baik"),
    ("U4", "Biaya/Tarif", "97,52", "A", "Sangat Baik"),
    ("U5", "Produk Layanan", "85,56", "B", "Baik"),
    ("U6", "Kompetensi Pelaksana", "92,86", "A", "Sangat Baik"),
    ("U7", "Perilaku Pelaksana", "93,79", "A", "Sangat Baik"),
    ("U8", "Sarana dan Prasarana", "90,68", "A", "Sangat Baik"),
    ("U9", "Penanganan Pengaduan", "96,59", "A", "Sangat baik"),
    ("U10", "Transparansi Pelayanan", "95,03", "A", "Sangat Baik"),
    ("U11", "Integritas Petugas Pelayanan", "96,59", "A", "Sangat Baik"),
]
# The seed's text: "skor 92,38 ... total 283 orang responden", "nilai IKM 91,7 ... 161 orang".
SEED_PERIODS = {
    "Semester I 2024": (SEED_TABEL_2_1, "92,38", "A", "Sangat Baik", 283),
    "Triwulan III 2024": (SEED_TABEL_2_2, "91,70", "A", "Sangat Baik", 161),
}
DEMO_SUGGESTIONS = [
    "Mohon waktu penyelesaian izin dipercepat.",
    "Pelayanan sudah baik, petugas ramah.",
    "Informasi persyaratan di website agar lebih lengkap.",
    "Ruang tunggu perlu ditambah kursi.",
]


def seed_number(text: str) -> Decimal:
    return Decimal(text.replace(",", "."))


def id2(value: Decimal) -> str:
    """Two decimals, half-up, decimal comma: written independently of the app's helpers."""
    text = str(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
    if text.startswith("-"):
        text = "\u2212" + text[1:]
    return text.replace(".", ",")


class RowParser(HTMLParser):
    """Rows of the results table (`<tr data-code=...>`) as lists of cell texts."""

    def __init__(self):
        super().__init__()
        self.rows: dict[str, list[str]] = {}
        self.current: str | None = None
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "tr" and "data-code" in attrs and attrs["data-code"] not in self.rows:
            self.current = attrs["data-code"]
            self.rows[self.current] = []
        elif tag in ("td", "th") and self.current:
            self.cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.current and self.cell is not None:
            self.rows[self.current].append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "tr":
            self.current = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def table_rows(html: str) -> dict[str, list[str]]:
    parser = RowParser()
    parser.feed(html)
    return parser.rows


def figure(html: str, name: str) -> str:
    match = re.search(rf'data-figure="{name}">([^<]*)<', html)
    assert match, name
    return match.group(1).strip()


@pytest.fixture
def demo(survey_demo):
    """The survey part of `load_demo` (the seed's 2024 periods, generated 2025 responses)."""


def assert_seed_table(html: str, period_name: str) -> None:
    table, ikm_text, grade, performance, respondents = SEED_PERIODS[period_name]
    rows = table_rows(html)
    for code, name, index, mutu, kinerja in table:
        # Published periods: Kode Unsur, Unsur, Index, Mutu Pelayanan, Kinerja (+ change).
        cells = rows[code]
        assert cells[0] == code
        assert cells[1] == name
        assert cells[2] == id2(seed_number(index)), (code, cells)
        assert cells[3] == mutu
        assert cells[4].lower() == kinerja.lower()  # the seed writes "Sangat baik" once
    ikm_cells = rows["IKM"]
    assert ikm_cells[2] == ikm_text
    assert ikm_cells[3] == grade
    assert ikm_cells[4] == performance
    # The published IKM is the plain mean of the 11 entered indices.
    mean = sum(seed_number(index) for _c, _n, index, _m, _k in table) / len(table)
    assert id2(mean) == ikm_text
    assert figure(html, "respondents") == str(respondents)


@pytest.mark.django_db
@pytest.mark.parametrize("period_name", list(SEED_PERIODS))
def test_officer_page_reproduces_seed_table(demo, client_as, period_name):
    period = Period.objects.get(name=period_name)
    html = client_as(Role.PETUGAS_SKM).get(reverse("surveys:period_results", args=[period.pk])).content.decode()
    assert_seed_table(html, period_name)
    assert "Agregat terpublikasi" in html
    assert unescape(period.source_note) in unescape(html)
    # The source is where the results came from (the e-PTSP application), never the report that quotes them.
    assert "e-ptsp.kaltimprov.go.id" in period.source_note and "Tabel 2." not in period.source_note
    assert "<svg" in html  # bar chart and trend chart
    assert "style=" not in html and "<script>" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("period_name", list(SEED_PERIODS))
def test_public_page_shows_seed_table_without_login(demo, client, period_name):
    period = Period.objects.get(name=period_name)
    response = client.get(reverse("surveys:public_period", args=[period.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert_seed_table(html, period_name)
    assert "Saran dan masukan" not in html


@pytest.mark.django_db
def test_change_against_previous_period_is_signed(demo, client_as):
    # Triwulan III 2024 follows Semester I 2024: U1 94,72 - 94,79 = -0,07, U4 97,52 - 90,9 = +6,62.
    period = Period.objects.get(name="Triwulan III 2024")
    html = client_as(Role.KABID).get(reverse("surveys:period_results", args=[period.pk])).content.decode()
    rows = table_rows(html)
    assert rows["U1"][-1] == "\u22120,07"
    assert rows["U4"][-1] == "+6,62"
    mean_1 = sum(seed_number(row[2]) for row in SEED_TABEL_2_1) / 11
    mean_2 = sum(seed_number(row[2]) for row in SEED_TABEL_2_2) / 11
    assert rows["IKM"][-1] == id2(mean_2 - mean_1) == "\u22120,68"


def brute_force(start: dt.date, end: dt.date, service: Service | None = None):
    """Index per element code and respondents, straight from the rows, in Decimal."""
    elements = list(Questionnaire.active().elements.all())
    responses = [
        r for r in Response.objects.all() if start <= r.survey_date <= end and (service is None or r.service == service)
    ]
    indices = {}
    for element in elements:
        scores = [getattr(r, element.field) for r in responses if getattr(r, element.field) is not None]
        indices[element.code] = Decimal(sum(scores)) * 25 / Decimal(len(scores))
    # Equal weights: the IKM is the mean NRR x 25 (computed with exact integers, then divided).
    nrr_sum_num = sum(
        Decimal(sum(getattr(r, e.field) for r in responses if getattr(r, e.field) is not None))
        / Decimal(sum(1 for r in responses if getattr(r, e.field) is not None))
        for e in elements
    )
    return responses, indices, nrr_sum_num * 25 / len(elements)


@pytest.mark.django_db
def test_computed_period_matches_brute_force(demo, client_as):
    period = Period.objects.get(name="Semester I 2025")
    responses, indices, ikm = brute_force(period.start_date, period.end_date)
    html = client_as(Role.KEPALA_DINAS).get(reverse("surveys:period_results", args=[period.pk])).content.decode()
    rows = table_rows(html)
    for code, index in indices.items():
        # Kode, Unsur, Jawaban, NRR, Index, ...
        assert rows[code][4] == id2(index), code
        assert rows[code][2] == str(len(responses))
    assert rows["IKM"][4] == id2(ikm)
    assert figure(html, "respondents") == str(len(responses))
    assert "Agregat terpublikasi</span>" not in html
    # Previous period is Triwulan III 2024 (published): U1 now minus 94,72.
    assert rows["U1"][-1].replace("+", "") == id2(indices["U1"] - Decimal("94.72")).replace("+", "")
    # Sample: 1.200 service users -> Krejcie & Morgan minimum 291; 360 respondents suffice.
    assert "sample-ok" in html
    assert "291" in html


@pytest.mark.django_db
def test_computed_period_shows_profile_and_saran(demo, client_as):
    period = Period.objects.get(name="Semester I 2025")
    responses, _indices, _ikm = brute_force(period.start_date, period.end_date)
    html = client_as(Role.PETUGAS_SKM).get(reverse("surveys:period_results", args=[period.pk])).content.decode()
    women = sum(1 for r in responses if r.sex == "P")
    twenties = sum(1 for r in responses if r.age is not None and 20 <= r.age <= 29)
    no_age = sum(1 for r in responses if r.age is None)
    profile = re.search(r'data-table="sex".*?data-key="P"><td>[^<]*</td><td class="num">(\d+)<', html, re.S)
    assert profile and int(profile.group(1)) == women
    age = re.search(r'data-table="age".*?data-key="20-29"><td>[^<]*</td><td class="num">(\d+)<', html, re.S)
    assert age and int(age.group(1)) == twenties
    blank = re.search(r'data-table="age".*?data-key=""><td>Tidak diisi</td><td class="num">(\d+)<', html, re.S)
    assert blank and int(blank.group(1)) == no_age
    saran = [r.suggestion for r in responses if r.suggestion]
    assert saran
    assert "Saran dan masukan" in html
    assert saran[0] in unescape(html)


@pytest.mark.django_db
def test_public_computed_period_has_no_saran(demo, client):
    period = Period.objects.get(name="Semester I 2025")
    html = client.get(reverse("surveys:public_period", args=[period.pk])).content.decode()
    assert figure(html, "respondents") == "360"
    for text in DEMO_SUGGESTIONS:
        assert text not in unescape(html)
    assert "Profil responden" not in html
    assert "Unduh" not in html


@pytest.mark.django_db
def test_public_list_and_hidden_period(demo, client):
    hidden = Period.objects.get(name="Triwulan III 2025")
    hidden.is_public = False
    hidden.save()
    html = client.get(reverse("surveys:public_results")).content.decode()
    assert "Semester I 2024" in html and "92,38" in html
    assert "Triwulan III 2025" not in html
    assert client.get(reverse("surveys:public_period", args=[hidden.pk])).status_code == 404


@pytest.mark.django_db
def test_sample_shortfall_warns(demo, client_as):
    period = Period.objects.get(name="Semester I 2025")
    period.service_users = 100_000  # table: 100,000 and more -> 384
    period.save()
    html = client_as(Role.PETUGAS_SKM).get(reverse("surveys:period_results", args=[period.pk])).content.decode()
    assert "sample-short" in html
    assert "384" in html and "kurang 24" in html


@pytest.mark.django_db
def test_sample_note_when_population_missing(demo, client_as):
    period = Period.objects.get(name="Semester I 2024")
    html = client_as(Role.PETUGAS_SKM).get(reverse("surveys:period_results", args=[period.pk])).content.decode()
    assert "sample-note" in html and "belum diisi" in html


@pytest.mark.django_db
def test_period_list_links_every_period(demo, client_as):
    html = client_as(Role.PETUGAS_SKM).get(reverse("surveys:period_list")).content.decode()
    for period in Period.objects.all():
        assert reverse("surveys:period_results", args=[period.pk]) in html
    assert "92,38" in html and "91,70" in html
    assert "Agregat terpublikasi" in html


@pytest.mark.django_db
def test_service_filter(demo, client_as):
    period = Period.objects.get(name="Semester I 2025")
    service = Service.objects.get(code="lkpm")
    responses, _indices, ikm = brute_force(period.start_date, period.end_date, service)
    client = client_as(Role.PETUGAS_SKM)
    url = reverse("surveys:period_results", args=[period.pk]) + "?layanan=lkpm"
    html = client.get(url).content.decode()
    assert figure(html, "respondents") == str(len(responses))
    assert table_rows(html)["IKM"][4] == id2(ikm)
    bad = client.get(reverse("surveys:period_results", args=[period.pk]) + "?layanan=tidak-ada")
    assert "Jenis layanan tidak dikenal." in bad.content.decode()


@pytest.mark.django_db
def test_range_page(demo, client_as):
    start, end = dt.date(2025, 2, 1), dt.date(2025, 8, 15)
    responses, indices, ikm = brute_force(start, end)
    url = reverse("surveys:range_results") + "?dari=2025-02-01&sampai=2025-08-15"
    html = client_as(Role.PETUGAS_SKM).get(url).content.decode()
    assert figure(html, "respondents") == str(len(responses))
    assert table_rows(html)["U3"][4] == id2(indices["U3"])
    assert table_rows(html)["IKM"][4] == id2(ikm)
    assert "1 Februari 2025" in html and "15 Agustus 2025" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?dari=2025-02-30&sampai=2025-03-01", "Tanggal tidak valid"),
        ("?dari=kemarin&sampai=2025-03-01", "Tanggal tidak valid"),
        ("?dari=2025-03-01&sampai=2025-02-01", "Tanggal akhir tidak boleh sebelum tanggal awal."),
        ("?dari=2025-03-01&sampai=2025-04-01&layanan=xyz", "Jenis layanan tidak dikenal."),
    ],
)
def test_range_page_rejects_bad_input_in_indonesian(demo, client_as, query, message):
    response = client_as(Role.PETUGAS_SKM).get(reverse("surveys:range_results") + query)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'data-figure="ikm"' not in html


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["surveys:period_list", "surveys:range_results", "surveys:period_results"])
def test_anonymous_is_sent_to_login(demo, client, name):
    args = [Period.objects.first().pk] if name == "surveys:period_results" else []
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_results_permission_matrix(demo, client_as, role):
    period = Period.objects.get(name="Semester I 2025")
    allowed = role in ACTIONS["surveys.view_results"]
    client = client_as(role)
    for url in (
        reverse("surveys:period_list"),
        reverse("surveys:period_results", args=[period.pk]),
        reverse("surveys:range_results"),
    ):
        assert client.get(url).status_code == (200 if allowed else 403), (role, url)
    # The public pages are open to everyone, signed in or not.
    assert client.get(reverse("surveys:public_period", args=[period.pk])).status_code == 200


@pytest.mark.django_db
def test_pemohon_gets_403(demo, client_as):
    period = Period.objects.get(name="Semester I 2024")
    assert client_as(Role.PEMOHON).get(reverse("surveys:period_results", args=[period.pk])).status_code == 403
