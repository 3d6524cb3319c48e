"""Open data without login: JSON and CSV per period (and service), cacheable; the schema."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.urls import reverse
from openapi_spec_validator import validate

from surveys.models import Period, Service


def test_openapi_schema_is_served_and_valid(client, db):
    response = client.get(reverse("api:openapi-json"))
    assert response.status_code == 200
    schema = response.json()
    validate(schema)  # raises on an invalid OpenAPI document
    paths = schema["paths"]
    assert {"/api/v1/izin-selesai", "/api/v1/log-proses", "/api/v1/data-terbuka/hasil/{period_id}/csv"} <= set(paths)
    assert any("X-API-Key" in str(s) for s in schema["components"]["securitySchemes"].values())


def page_rows(html: str) -> dict[str, tuple[str, str]]:
    """{code: (index, margin)} as the results page shows them (Indonesian comma)."""
    rows = {}
    for match in re.finditer(r'<tr[^>]*data-code="([^"]+)".*?</tr>', html, re.S):
        cells = re.findall(r'<td class="num[^"]*"[^>]*>(.*?)</td>', match.group(0), re.S)
        index = next(c for c in cells if re.fullmatch(r"\d+,\d{2}", c.strip()))
        margin = re.search(r"data-margin>\s*± ([\d,]+)", match.group(0))
        rows[match.group(1)] = (index.strip(), margin.group(1) if margin else "")
    return rows


def csv_rows(text: str) -> dict[str, tuple[str, str]]:
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    reader = csv.DictReader(io.StringIO("\n".join(lines)))
    return {r["kode_unsur"]: (r["indeks"].replace(".", ","), r["margin_galat_95"].replace(".", ",")) for r in reader}


@pytest.mark.parametrize("name", ["Semester I 2025", "Semester I 2024"])
def test_open_data_csv_reproduces_the_public_results_page(client, survey_demo, name):
    period = Period.objects.get(name=name)
    page = client.get(reverse("surveys:public_period", args=[period.pk])).content.decode()
    response = client.get(reverse("api:open_period_csv", args=[period.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = response.content.decode()
    assert csv_rows(text) == page_rows(page)
    assert f"# period: {name}" in text and "# licence: CC BY 4.0" in text


def test_open_data_json_has_metadata_and_caches(client, survey_demo):
    period = Period.objects.get(name="Semester I 2025")
    url = reverse("api:open_period", args=[period.pk])
    response = client.get(url)
    data = response.json()
    meta = data["metadata"]
    assert meta["period"] == {"name": period.name, "start": "2025-01-01", "end": "2025-06-30"}
    assert meta["licence"] == "CC BY 4.0" and meta["producer"] and "indeks 25-100" in meta["unit"]
    assert data["ikm_margin"] is not None and all(e["margin"] is not None for e in data["elements"])
    assert "public" in response["Cache-Control"] and response["ETag"]
    again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304 and again.content == b""
    published = client.get(reverse("api:open_period", args=[Period.objects.get(name="Semester I 2024").pk])).json()
    assert published["published_aggregate"] is True and published["ikm"] == "92.38"
    assert published["ikm_margin"] is None and all(e["margin"] is None for e in published["elements"])


def test_open_data_per_service_and_errors(client, survey_demo):
    period = Period.objects.get(name="Semester I 2025")
    service = Service.objects.order_by("order").first()
    data = client.get(reverse("api:open_period", args=[period.pk]), {"layanan": service.code}).json()
    assert data["metadata"]["service"]["code"] == service.code
    unknown = client.get(reverse("api:open_period", args=[period.pk]), {"layanan": "tidak-ada"})
    assert unknown.status_code == 404 and "tidak dikenal" in unknown.json()["detail"]
    period.is_public = False
    period.save()
    hidden = client.get(reverse("api:open_period", args=[period.pk]))
    assert hidden.status_code == 404 and "tidak dipublikasikan" in hidden.json()["detail"]
    listing = client.get(reverse("api:open_periods")).json()
    assert period.pk not in [p["id"] for p in listing] and listing


def test_open_data_is_rate_limited_per_address(client, survey_demo, settings):
    settings.SKM_OPEN_DATA_RATE_LIMIT = 1
    assert client.get(reverse("api:open_periods")).status_code == 200
    limited = client.get(reverse("api:open_periods"))
    assert limited.status_code == 429 and limited["Retry-After"]
