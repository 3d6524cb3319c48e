"""The report's appendix parts: rendered once, kept until their data changes, stitched into
the report's own pages (table of contents, footer, DRAF and signed statement still right)."""

from __future__ import annotations

import pytest

from followup.models import Meeting
from reports import parts, services
from tests.reports.helpers import PASSPHRASE, outline_pages, pdf_pages
from tests.reports.test_pdf import TOC_LINE, page_labels, squash


@pytest.fixture
def renders(monkeypatch):
    """Every part WeasyPrint lays out, by the HTML it was given."""
    seen: list[str] = []
    real = parts.render_document

    def spy(html):
        seen.append(html)
        return real(html)

    monkeypatch.setattr(parts, "render_document", spy)
    return seen


@pytest.mark.fresh_report_parts
def test_the_stitched_pages_carry_each_part_and_parts_are_rendered_again_only_when_their_data_changes(
    report_2024, tmp_path, settings, renders
):
    """One build from an empty store of parts (each part laid out alone) for where the stitched
    parts land, then the builds that find them stored: under another media root too, as
    REPORT_PART_ROOT names parts by what they show (a whole test run may share the folder)."""
    import shutil

    settings.REPORT_PART_ROOT = str(tmp_path / "shared-parts")
    parts._NUMBERS.clear()  # kept per process: this test starts as a new process would
    pdf, build = services.report_build_now(report=report_2024)
    pages = pdf_pages(pdf, tmp_path)
    assert build.pages == len(pages)
    labels = page_labels(pages)
    numbers = {label for _title, label in TOC_LINE.findall(pages[labels["ii"]])}
    label_of = {index: label for label, index in labels.items()}
    # The meeting's notula, the FKP's berita acara, a period's results: the first page
    # with the reserved page's label is a page the contents point at, and it shows the
    # part's own text drawn into it.
    for label, inside in (
        ("LAMPIRAN: NOTULA RAPAT", "NOTULA RAPAT"),
        ("LAMPIRAN: BERITA ACARA", "BERITA ACARA"),
        ("LAMPIRAN: HASIL SKM SEMESTER I 2024", "94,79"),  # the seed's U1 index
    ):
        index = next(i for i, page in enumerate(pages) if label in squash(page))
        assert label_of[index] in numbers, f"{label!r} is on page {label_of[index]}, not in the contents"
        assert inside in squash(pages[index]).replace(label, "", 1), f"the part's text is missing on {label!r}"
    # A draft says so on every page, the stitched ones too; every main page keeps its number.
    assert all("DRAF" in page for page in pages)
    # The parts were laid out alone (none stored yet): two periods, the meeting's and the FKP's documents,
    # each kept in REPORT_PART_ROOT, none under MEDIA_ROOT.
    assert len(renders) >= 8
    stored = sorted(p.name for p in (tmp_path / "shared-parts").iterdir())
    assert len(stored) >= 8 and all(name.endswith(".pdf") for name in stored)
    assert not (settings.MEDIA_ROOT / parts.PART_DIR).exists()

    # Nothing changed, another media root (another test's, with the office logo), as in another
    # process: every part is taken as stored.
    renders.clear()
    shutil.copytree(settings.MEDIA_ROOT, tmp_path / "other-media")
    settings.MEDIA_ROOT = tmp_path / "other-media"
    parts._READERS.clear()
    parts._NUMBERS.clear()
    pdf, build = services.report_build_now(report=report_2024)
    assert renders == []
    assert build.pages == len(pdf_pages(pdf, tmp_path))

    meeting = Meeting.objects.filter(kind=Meeting.Kind.RAPAT).first()
    Meeting.objects.filter(pk=meeting.pk).update(minute_taker_name="Notulis Pengganti Uji")
    pdf, _build = services.report_build_now(report=report_2024)
    assert len(renders) == 1 and "Notulis Pengganti Uji" in renders[0]  # only the notula's part
    assert "NOTULIS PENGGANTI UJI" in squash(" ".join(pdf_pages(pdf, tmp_path)))


def test_signing_lays_out_nothing_and_keeps_the_drafts_pages(report_2024, tmp_path, settings, monkeypatch):
    """The draft and the version to sign come from one layout; signing only checks and signs.
    The signed report has its statement on every page, the stitched ones too."""
    from reports import rendering

    settings.REPORT_SIGNING_PASSPHRASE = PASSPHRASE
    build = services.build_run(build_id=services.build_create(report=report_2024).pk)
    with build.file.open("rb") as handle:
        draft = pdf_pages(handle.read(), tmp_path)
    layouts: list[str] = []
    real = rendering.render_document
    monkeypatch.setattr(rendering, "render_document", lambda html: layouts.append(html) or real(html))
    version = services._sign(build=build, passphrase=PASSPHRASE)
    assert layouts == []
    with version.file.open("rb") as handle:
        signed = pdf_pages(handle.read(), tmp_path)
    assert len(signed) == len(draft) == build.pages
    assert all("DRAF" in page for page in draft)
    assert not any("DRAF" in page for page in signed)
    statement = "DITANDATANGANI SECARA ELEKTRONIK"
    assert all(statement in squash(page) for page in signed[1:])  # the cover has no footer
    assert not any(statement in squash(page) for page in draft)
    # a signed report has its statement on every stitched page too
    assert all("DOKUMEN INI" in squash(page) for page in signed[1:])
    assert not any("DRAF – BELUM" in squash(page) for page in signed)
    notula = next(i for i, page in enumerate(signed) if "LAMPIRAN: NOTULA" in squash(page))
    assert "NOTULA RAPAT" in squash(signed[notula]).replace("LAMPIRAN: NOTULA RAPAT", "", 1)
    # page for page the same content: every word of the draft but its mark is on the signed page
    mark = set(squash("DRAF – belum ditandatangani").split())
    for number, (before, after) in enumerate(zip(draft, signed, strict=True), start=1):
        missing = set(squash(before).split()) - mark - set(squash(after).split())
        assert not missing, f"page {number}: {sorted(missing)[:5]} not on the signed page"


def test_signing_a_draft_whose_signed_html_changed_lays_it_out_again(report_2024, tmp_path, settings, monkeypatch):
    from reports import rendering

    settings.REPORT_SIGNING_PASSPHRASE = PASSPHRASE
    build = services.build_run(build_id=services.build_create(report=report_2024).pk)
    settings.SITE_URL = "https://skm-baru.example.go.id"  # the verification link in the signed version changes
    layouts: list[str] = []
    real = rendering.render_document
    monkeypatch.setattr(rendering, "render_document", lambda html: layouts.append(html) or real(html))
    version = services._sign(build=build, passphrase=PASSPHRASE)  # the draft's HTML is unchanged
    assert len(layouts) == 1 and "skm-baru.example.go.id" in layouts[0]
    with version.file.open("rb") as handle:
        signed = pdf_pages(handle.read(), tmp_path)
    assert len(signed) == build.pages
    assert version.verification_url.startswith("https://skm-baru.example.go.id/")


def test_only_the_newest_draft_keeps_its_prepared_signed_version_and_an_older_one_is_laid_out_to_sign(
    report_2024, tmp_path, settings, monkeypatch
):
    from reports import rendering

    settings.REPORT_SIGNING_PASSPHRASE = PASSPHRASE
    storage, folder = parts.part_storage()

    def waiting(build) -> bool:
        """Whether the build's signed version waits prepared (the store is shared by the run's builds)."""
        names = storage.listdir(folder.rstrip("/") or ".")[1]
        return any(name.startswith(f"signed-{build.verification_code}-") for name in names)

    first = services.build_run(build_id=services.build_create(report=report_2024).pk)
    assert waiting(first)
    second = services.build_run(build_id=services.build_create(report=report_2024).pk)
    assert waiting(second) and not waiting(first)

    layouts: list[str] = []
    real = rendering.render_document
    monkeypatch.setattr(rendering, "render_document", lambda html: layouts.append(html) or real(html))
    version = services._sign(build=first, passphrase=PASSPHRASE)  # the older draft may still be signed
    assert len(layouts) == 1  # laid out again, as it was prepared no more
    with version.file.open("rb") as handle:
        assert len(pdf_pages(handle.read(), tmp_path)) == first.pages
    assert waiting(second)


def test_the_other_evidence_is_laid_out_once_and_again_only_when_it_changes(report_2024, tmp_path, renders):
    """The other evidence grows with the year: a part of the report's body, its pages still
    numbered by the report, under its DRAF mark, where the contents say."""
    from followup.models import Activity
    from followup.plans import evidence as evidence_services
    from tests.reports.helpers import demo_officer
    from tests.reports.test_appendix_print import footer_number

    activity = Activity.objects.order_by("pk").first()
    for n in range(60):  # a few pages of links (a link shows its address, not its title)
        evidence_services.evidence_add_link(
            activity=activity, user=demo_officer(), url=f"https://contoh.go.id/buktiuji{n:02d}", title="Bukti"
        )
    pdf, build = services.report_build_now(report=report_2024)
    pages = pdf_pages(pdf, tmp_path)
    assert build.pages == len(pages)
    assert len([html for html in renders if "buktiuji00" in html]) == 1  # laid out alone, once
    labels = page_labels(pages)
    toc = TOC_LINE.findall(pages[labels["ii"]])
    (toc_label,) = [label for title, label in toc if squash(title) == "BUKTI DUKUNG LAINNYA"]
    first = labels[toc_label]
    assert "BUKTI DUKUNG LAINNYA" in squash(pages[first])
    last = next(i for i, page in enumerate(pages) if "buktiuji59" in page)
    assert last == len(pages) - 1 and last - first >= 2
    for index in range(first, last + 1):
        assert "DRAF" in pages[index]
        assert footer_number(pages[index]) == footer_number(pages[first]) + index - first
    shown = [n for n in range(60) if any(f"buktiuji{n:02d}" in page for page in pages[first:])]
    assert shown == list(range(60))  # every item, none lost at a page break
    outline = outline_pages(pdf)
    assert outline["BUKTI DUKUNG LAINNYA"] == first  # the PDF's outline still points at it
    # ... and at each plan's heading inside it, on the page where that heading is printed.
    headed = {}
    for heading in ("Waktu Pelayanan", "Produk Pelayanan"):  # the demo's plans with evidence
        headed[heading] = next(
            i for i in range(first, len(pages)) if any(line.strip() == heading for line in pages[i].splitlines())
        )
        assert outline[heading] == headed[heading], heading
    assert max(headed.values()) > first  # a heading past the part's first page

    renders.clear()
    services.report_build_now(report=report_2024)
    assert renders == []  # unchanged: taken as stored
    evidence_services.evidence_add_link(
        activity=activity, user=demo_officer(), url="https://contoh.go.id/buktibaru", title="Bukti"
    )
    pdf, build = services.report_build_now(report=report_2024)
    assert len(renders) == 1 and "buktibaru" in renders[0]  # only the evidence part again
    pages = pdf_pages(pdf, tmp_path)
    assert build.pages == len(pages) and "buktibaru" in pages[-1]


def test_a_part_appears_whole_or_not_at_all(settings, tmp_path, monkeypatch):
    """A part is written under a temporary name and renamed into place: another process reading
    the folder never finds half a PDF (it would take it for damaged and delete it)."""
    import os

    folder = tmp_path / "parts"
    settings.REPORT_PART_ROOT = str(folder)
    data = b"%PDF-1.7\n" + bytes(range(256)) * 64
    parts._store("a" * 64, data)
    assert (folder / f"{'a' * 64}.pdf").read_bytes() == data
    assert [p.name for p in folder.iterdir()] == [f"{'a' * 64}.pdf"]

    def cut(_source, _target):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", cut)
    with pytest.raises(OSError):
        parts._store("b" * 64, data)
    assert [p.name for p in folder.iterdir()] == [f"{'a' * 64}.pdf"]  # nothing half-written left


def _age(path, days: float) -> None:
    import os
    import time

    moment = time.time() - days * 86400
    os.utime(path, (moment, moment))


def test_a_build_removes_the_parts_no_build_used_for_the_keep_days_and_keeps_those_it_used(
    demo_2024_pdfs, report_2024, settings, tmp_path, monkeypatch, renders
):
    import shutil
    from pathlib import Path

    # The run's parts, with those of the demo's 2024 report (demo_2024_pdfs), copied: this test's own.
    store = tmp_path / "parts"
    shutil.copytree(Path(parts.part_storage()[0].location), store)
    settings.REPORT_PART_ROOT = str(store)
    settings.REPORT_PART_KEEP_DAYS = 30
    for path in store.iterdir():
        _age(path, 31)
    orphan, torn, young = store / f"{'0' * 64}.pdf", store / ".part-k2j9.tmp", store / f"{'1' * 64}.pdf"
    for path, days in ((orphan, 31), (torn, 31), (young, 29)):
        path.write_bytes(b"%PDF-1.7\n")
        _age(path, days)

    # A new worker process: nothing of the parts is remembered in memory.
    monkeypatch.setattr(parts, "_READERS", {})
    monkeypatch.setattr(parts, "_NUMBERS", {})
    looked_up: list[str] = []
    real = parts._stored_pages
    monkeypatch.setattr(parts, "_stored_pages", lambda fingerprint: looked_up.append(fingerprint) or real(fingerprint))
    renders.clear()
    second = services.build_run(build_id=services.build_create(report=report_2024).pk)

    names = {path.name for path in store.iterdir()}
    assert renders == []  # the parts it needed were all there, old as they were
    assert looked_up and {f"{fingerprint}.pdf" for fingerprint in looked_up} <= names  # ... and still are
    assert orphan.name not in names and torn.name not in names  # unused for 31 days, or left half-written
    assert young.name in names  # unused for 29 days only
    assert any(name.startswith(f"signed-{second.verification_code}-") for name in names)  # waits to be signed


def test_report_parts_prune_command_removes_only_parts_unused_past_the_keep_days(settings, tmp_path):
    from io import StringIO

    from django.core.management import call_command

    settings.REPORT_PART_ROOT = str(tmp_path)
    settings.REPORT_PART_KEEP_DAYS = 10
    files = {
        "old": (tmp_path / f"{'a' * 64}.pdf", 11),
        "young": (tmp_path / f"{'b' * 64}.pdf", 9),
        "prepared": (tmp_path / f"signed-K7Q2M9XA-{'c' * 64}.pdf", 400),
        "not a part": (tmp_path / "catatan.txt", 400),
    }
    for path, days in files.values():
        path.write_bytes(b"%PDF-1.7\n")
        _age(path, days)

    out = StringIO()
    call_command("report_parts_prune", stdout=out)
    assert out.getvalue().strip() == "1 bagian laporan dihapus (tidak dipakai selama 10 hari)."
    assert [name for name, (path, _days) in files.items() if not path.exists()] == ["old"]
