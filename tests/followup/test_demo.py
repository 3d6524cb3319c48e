"""followup.demo reproduces the seed's 2024 follow-up (Tabel 2.3 and 3.1), idempotently."""

import pytest
from django.urls import reverse

from followup import demo
from followup.models import Activity, Evidence, FollowUpPlan, RealisationStep
from followup.plans.selectors import plan_descriptions, plan_detail_queryset
from skm_portal.models import AuditEntry
from skm_portal.roles import Role

pytestmark = pytest.mark.django_db

# Tabel 2.3 Rencana Tindak Lanjut Pelaksanaan SKM, as printed in the report.
TABEL_2_3 = [
    (
        "Waktu Pelayanan",
        ["Evaluasi Standar Pelayanan dan Standar Operasional Prosedur", "Monitoring dan evaluasi berkala"],
        "Oktober - November",
    ),
    (
        "Produk Pelayanan",
        [
            "Standarisasi produk pelayanan",
            "Peningkatan kualitas produk",
            "Inovasi layanan",
            "Penyediaan informasi yang transparan",
        ],
        "Oktober - November",
    ),
]
# Tabel 3.1 Implementasi Tindak Lanjut, "Deskripsi Tindak Lanjut" column, a.-d. per element.
TABEL_3_1 = {
    "Waktu Pelayanan": [
        "Menyelenggarakan rapat evaluasi standar pelayanan dan standar operasional prosedur",
        "Berkoordinasi dengan dengan Biro Organisasi terkait evaluasi standar pelayanan dan standar operasional prosedur",
        "Menyelenggarakan Forum Konsultasi Publik terkait evaluasi Standar Pelayanan dan Standar Operasional Prosedur",
        "Melakukan audit alur pelayanan yang menghambat dan menyederhanakan tahapan proses pelayanan tanpa mengurangi "
        "kualitas dan akurasi pelayanan.",
    ],
    "Produk Pelayanan": [
        "Melaksanakan rapat evaluasi terkait penyusunan standar yang jelas terkait jenis dan kualitas produk pelayanan "
        "yang dihasilkan",
        "Melaksanakan Forum Konsultasi Publik",
        "Mengembangkan produk pelayanan baru melalui penambahan fitur pada layanan e-ptsp.kaltimprov.go.id yang lebih "
        "relevan dengan kebutuhan pelaku usaha terhadap berkas perbaikan",
        "Menyediakan informasi lengkap dan jelas mengenai produk pelayanan melalui media sosial.",
    ],
}


def snapshot():
    plans = list(plan_detail_queryset().order_by("rank"))
    return [
        (
            p.period.name,
            p.element_code,
            p.element_name,
            p.time_frame,
            [(a.letter, a.title, a.status) for a in p.activities.all()],
            [(d.letter, d.step.description, d.step.started_on) for d in plan_descriptions(p)],
        )
        for p in plans
    ]


def counts():
    return tuple(m.objects.count() for m in (FollowUpPlan, Activity, RealisationStep, Evidence, AuditEntry))


def test_demo_reproduces_tabel_2_3_and_3_1(periods, make_user):
    make_user(Role.PETUGAS_SKM, username="petugas")
    demo.load()
    plans = list(plan_detail_queryset().order_by("rank"))
    assert [(p.period.name, p.element_code) for p in plans] == [
        ("Triwulan III 2024", "U3"),
        ("Triwulan III 2024", "U5"),
    ]
    for plan, (name, activities, time_frame) in zip(plans, TABEL_2_3, strict=True):
        assert plan.element_name == name
        assert plan.time_frame == time_frame
        assert [f"{a.letter}. {a.title}" for a in plan.activities.all()] == [
            f"{letter}. {title}" for letter, title in zip("abcd", activities, strict=False)
        ]
        assert [f"{d.letter}. {d.step.description}" for d in plan_descriptions(plan)] == [
            f"{letter}. {text}" for letter, text in zip("abcd", TABEL_3_1[name], strict=True)
        ]
        assert plan.progress().band.label == "100 %"
    assert AuditEntry.objects.filter(actor__username="petugas", app="followup").exists()


@pytest.fixture
def petugas(make_user):
    """The demo writes as the demo officer, through services that check her permission."""
    return make_user(Role.PETUGAS_SKM, username="petugas")


def test_demo_twice_gives_the_same_state(periods, petugas):
    demo.load()
    first, first_counts = snapshot(), counts()
    demo.load()
    assert snapshot() == first
    assert counts() == first_counts


def test_demo_without_the_period_is_skipped(db):
    assert "dilewati" in demo.load()
    assert not FollowUpPlan.objects.exists()


def test_demo_without_the_demo_officer_is_skipped(periods):
    assert "dilewati" in demo.load()
    assert not FollowUpPlan.objects.exists()


def test_demo_pages_render(periods, petugas, client_as):
    demo.load()
    client = client_as(Role.KEPALA_DINAS)
    period = FollowUpPlan.objects.first().period
    page = client.get(reverse("followup:period", kwargs={"period": period.pk})).content.decode()
    assert "Menyediakan informasi lengkap dan jelas mengenai produk pelayanan melalui media sosial." in page
    assert "30 Oktober 2024" in page and "11 November 2024" in page
    overview = client.get(reverse("followup:overview") + "?tahun=2024").content.decode()
    assert "100 %" in overview
