"""The demo's attendance list and berita acara carry drawn signatures, not empty TTD cells."""

import pytest
from django.template.loader import render_to_string

from followup import demo
from followup.meetings import documents
from followup.meetings.demo_signatures import demo_signature
from followup.meetings.selectors import meeting_with_documents
from followup.meetings.signature import clean_path
from followup.models import Attendee, Meeting
from skm_portal.models import OfficeProfile
from tests.followup.meeting_fixtures import pdf_text

pytestmark = pytest.mark.django_db


def test_a_demo_signature_is_a_valid_drawing_and_differs_per_name():
    first, again, other = (
        demo_signature("Heru Pratama"),
        demo_signature("Heru Pratama"),
        demo_signature("Ani Ratna Sari"),
    )
    assert first == again != other
    assert clean_path(first) == first  # what the check-in page would accept


def test_the_meetings_participants_signed_in_and_the_fkp_representatives_signed(survey_demo):
    demo.load()
    rapat = meeting_with_documents(Meeting.objects.get(kind=Meeting.Kind.RAPAT).pk)
    attendees = list(rapat.attendees.all())
    assert len(attendees) == 20
    assert all(a.source == Attendee.Source.QR and a.signature_path for a in attendees)
    fkp = meeting_with_documents(Meeting.objects.get(kind=Meeting.Kind.FKP).pk)
    assert all(r.signature_path for r in fkp.representatives.all())

    html = render_to_string(
        documents.ATTENDANCE.template, {"meeting": rapat, "office": OfficeProfile.get(), "blank_rows": 0}
    )
    assert html.count('class="signature-drawing"') == 20
    html = render_to_string(
        documents.BERITA_ACARA.template, {"meeting": fkp, "office": OfficeProfile.get(), "show_phones": False}
    )
    assert html.count('class="signature-drawing"') == fkp.representatives.count() == 8
    text = pdf_text(documents.pdf(rapat, documents.ATTENDANCE))
    assert text is None or "Heru Pratama" in text
