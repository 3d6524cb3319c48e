import datetime as dt

import pytest

from .helpers import SEMESTER_I, TRIWULAN_III, published_period


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    # The public check-in counts posts per client in the cache; each test starts at zero.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def evidence_root(settings, tmp_path):
    settings.FOLLOWUP_EVIDENCE_ROOT = tmp_path / "evidence"
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.FOLLOWUP_EVIDENCE_ROOT


@pytest.fixture
def periods(db):
    """Semester I 2024 and Triwulan III 2024 with the seed's published indices."""
    first = published_period("Semester I 2024", dt.date(2024, 1, 1), dt.date(2024, 6, 30), SEMESTER_I, 283)
    second = published_period("Triwulan III 2024", dt.date(2024, 7, 1), dt.date(2024, 9, 30), TRIWULAN_III, 161)
    return first, second


@pytest.fixture
def tw3(periods):
    return periods[1]


@pytest.fixture
def officer(make_user):
    from skm_portal.roles import Role

    return make_user(Role.PETUGAS_SKM, username="petugas_test")


@pytest.fixture
def plan(tw3, officer):
    from followup.plans import services

    plans = services.priorities_confirm(period=tw3, codes=["U3", "U5"], user=officer)
    return plans[0]


@pytest.fixture
def activity(plan, officer):
    from followup.plans import services

    return services.activity_add(plan=plan, user=officer, title="Evaluasi Standar Pelayanan")
