"""The annual report's appendix takes each meeting's documents from followup."""

import datetime as dt

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from followup.meetings.selectors import report_appendix_documents
from followup.models import Attendee, Meeting
from reports.appendix import appendix_documents
from skm_portal.models import OfficeProfile


@pytest.fixture
def demo(survey_demo):
    from followup import demo as followup_demo

    followup_demo.load()


def rendered(items):
    office = OfficeProfile.get()
    return [render_to_string(i.template, {**i.context, "office": office}) for i in items]


def test_the_report_finds_the_seed_meetings_documents(demo):
    items = appendix_documents(year=2024)
    kinds = [(i.date, i.kind) for i in items]
    fkp, sop = dt.date(2024, 10, 30), dt.date(2024, 11, 11)
    # the seed's order: the meeting (invitation, notula, daftar hadir), then the FKP, though older
    assert kinds == [
        (sop, "undangan"), (sop, "notula"), (sop, "daftar-hadir"),
        (fkp, "undangan"), (fkp, "daftar-hadir"), (fkp, "berita-acara"),
    ]  # fmt: skip
    html = "\n".join(rendered(items))
    assert "000.8.3.2/1457/DPMPTSP-SEKR/2024" in html
    assert "500.16.7.2/1493/DPMPTSP-IV/2024" in html
    assert "NOTULA RAPAT" in html.upper()
    assert "08125545310" not in html  # a representative's phone number: personal data
    assert appendix_documents(year=2023) == []


def test_rendering_the_appendix_takes_the_same_queries_for_more_meetings(demo):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            rendered(appendix_documents(year=2024))
        return len(captured)

    before = queries()
    extra = Meeting.objects.get(letter_number=1493)
    extra.pk = None
    extra.letter_number = extra.letter_year = None
    extra.checkin_token = Meeting._meta.get_field("checkin_token").get_default()
    extra.save()
    Attendee.objects.bulk_create(Attendee(meeting=extra, number=n, name=f"Peserta {n}", sex="L") for n in range(1, 6))
    assert len(report_appendix_documents(year=2024)) == 8  # + its invitation and attendance list
    assert queries() == before
