"""The office's own words where the demo's follow-up is not loaded: the migrated
questionnaire's element sources, and a proposal for a year with results but no follow-up.
(Apart from tests/reports/test_report_text.py, whose tests share one demo load.)"""

from reports import services
from surveys.models import Element, Questionnaire


def test_default_questionnaire_records_where_each_element_comes_from(db):
    sources = dict(Questionnaire.active().elements.values_list("code", "source"))
    assert sources == {
        **{f"U{n}": Element.Source.PERMENPAN for n in range(1, 10)},
        "U10": Element.Source.SPI,
        "U11": Element.Source.SPI,
    }


def test_proposal_without_realisation_does_not_claim_one(db):
    from skm_portal import demo as portal_demo
    from surveys import demo as surveys_demo

    portal_demo.load()
    surveys_demo.load()  # results, but no follow-up plans
    report = services.year_report(year=2024)
    assert "belum" in report.realisation_intro.lower()
    assert "telah dilakukan" not in report.conclusion
    assert "prioritas" not in report.plan_intro
