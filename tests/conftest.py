import socket

import pytest

from skm_portal.roles import Role


@pytest.fixture
def make_user(db):
    """make_user(Role.PETUGAS_SKM) -> a saved user in that role's group (tests.factories.UserFactory)."""
    from tests.factories import PASSWORD, UserFactory

    def make(*roles: Role, username: str | None = None, password: str = PASSWORD):
        name = username or ("user_" + "_".join(r.value for r in roles) if roles else "user_norole")
        return UserFactory(username=name, password=password, roles=roles)

    return make


@pytest.fixture
def client_as(client, make_user):
    """client_as(Role.X) -> the test client logged in as a fresh user with that role."""

    def login(*roles: Role):
        client.force_login(make_user(*roles))
        return client

    return login


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Tests create many users; the production hasher is slow on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _files_in_tmp(settings, tmp_path):
    # Uploaded and private files of a test never land in the working tree (load_demo makes
    # a signing certificate where REPORT_SIGNING_P12 points: private/ by default).
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FOLLOWUP_EVIDENCE_ROOT = tmp_path / "evidence"
    settings.REPORT_SIGNING_P12 = tmp_path / "private" / "signing.p12"


@pytest.fixture(scope="session")
def _report_parts_store(tmp_path_factory):
    """One store of rendered report appendix parts per test process (reports/parts.py)."""
    return tmp_path_factory.mktemp("report-parts")


@pytest.fixture(autouse=True)
def _shared_report_parts(request, settings, _report_parts_store):
    """A report's appendix parts are stored under the SHA-256 of their complete HTML and
    stylesheet (reports/parts.py), so a part rendered by one test is exactly the part another
    test would render: the tests share one store per process, as builds in production share
    MEDIA_ROOT (REPORT_PART_ROOT). Tests about rendering and keeping parts start empty: mark them
    `fresh_report_parts`."""
    if not request.node.get_closest_marker("fresh_report_parts"):
        settings.REPORT_PART_ROOT = str(_report_parts_store)


@pytest.fixture
def baseline_data(db):
    """The rows the data migrations create (role groups, the 11-element questionnaire).

    A transactional test (transaction=True) empties every table when it ends, so the
    tests that run after it re-create what a fresh `migrate` would have left.
    """
    from tests.shared_pdfs import baseline_rows

    baseline_rows()


@pytest.fixture(autouse=True)
def _baseline_for_transactional_tests(request):
    marker = request.node.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction"):
        request.getfixturevalue("baseline_data")


def _load_survey_demo() -> None:
    from skm_portal import demo as portal_demo
    from surveys import demo as surveys_demo

    portal_demo.load()
    surveys_demo.load()


@pytest.fixture(scope="module")
def _survey_demo_module(request, django_db_setup, django_db_blocker, tmp_path_factory):
    """survey_demo held per module where every database test of the module starts from it (tests/held_rows.py)."""
    from tests.held_rows import held_per_module

    yield from held_per_module(request, django_db_blocker, tmp_path_factory, "survey_demo", _load_survey_demo)


@pytest.fixture
def survey_demo(_survey_demo_module, db, settings):
    """The demo office, users and survey data only (what `load_demo` loads first), fast."""
    from tests.held_rows import start_from

    start_from(_survey_demo_module, settings, _load_survey_demo)


@pytest.fixture(scope="session")
def demo_2024_pdfs(django_db_setup, django_db_blocker, tmp_path_factory, _report_parts_store, worker_id):
    """The demo's 2024 draft and signed report (tests/shared_pdfs.py), built once per run: by the
    first test process that asks, under a lock; another xdist worker reads them, and a copy of
    the appendix parts the build rendered into its own store of parts (for its report builds after it)."""
    from tests.reports.helpers import certificate_bytes
    from tests.shared_pdfs import build_demo_2024_pdfs, shared_between_workers

    def build():
        with django_db_blocker.unblock():
            return build_demo_2024_pdfs(
                tmp_path_factory.mktemp("demo-2024-pdfs"), certificate_bytes(), parts=_report_parts_store
            )

    if worker_id == "master":  # not under xdist
        return build()
    return shared_between_workers(tmp_path_factory.getbasetemp().parent, build, parts=_report_parts_store)


# PDFs already rendered in this run (this process), by their HTML.
_RENDERED: dict[str, bytes] = {}


@pytest.fixture
def pdf_once(monkeypatch):
    """skm_portal.pdf renders each distinct HTML once per run: for tests that walk the same
    documents as many roles (the HTML is the same, so is the PDF)."""
    from skm_portal import pdf

    render = pdf.html_to_pdf

    def remembered(html: str) -> bytes:
        if html not in _RENDERED:
            _RENDERED[html] = render(html)
        return _RENDERED[html]

    monkeypatch.setattr(pdf, "html_to_pdf", remembered)


# The longest files, longest first (seconds summed at -n 2 on the two-core test machine), so
# that xdist hands them out first and no worker is left alone with a long tail while the other
# idles; the rest keep their collection order. Runs before pytest-django's own (stable) sort,
# which still puts the transactional tests (that empty every table) after all the others.
LONGEST_FIRST = (
    "tests/browser/test_accessibility_crawl.py",
    "tests/browser/test_kiosk.py",
    "tests/reports/test_signing.py",
    "tests/surveys/test_import_hostile.py",
    "tests/browser/test_report_signing.py",
    "tests/browser/test_followup_path.py",
    "tests/browser/test_invitation_signing.py",
)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    rank = {path: number for number, path in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(rank)))


def pytest_collection_finish(session):
    """demo_2024_pdfs builds in the test database, which pytest-django sets up only when the run
    (what -k and -m left of it) has a database test: a run of only tests that read the shared
    PDFs asks for it through one of them; otherwise the build would open the development
    database, DATABASES as configured. Only then: a reader marked in a module that holds its rows
    (tests/held_rows.py) would count as a database test not asking for them, and the module
    would load them for each test."""
    readers = [item for item in session.items if "demo_2024_pdfs" in getattr(item, "fixturenames", ())]
    if readers and not any(_reaches_database(item) for item in session.items):
        readers[0].add_marker(pytest.mark.django_db)


def _reaches_database(item) -> bool:
    """Whether pytest-django sets up the test database for `item` (its marker or fixtures)."""
    fixtures = set(getattr(item, "fixturenames", ()))
    return bool(item.get_closest_marker("django_db") or fixtures & {"db", "transactional_db", "live_server"})


@pytest.fixture
def mail_server_down(settings):
    """SMTP to a port on this machine where nothing listens (connection refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 3
    settings.EMAIL_USE_TLS = False
    return settings
