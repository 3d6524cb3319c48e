"""Demo follow-up: the office's 2024 follow-up of Triwulan III 2024, as the seed report.

Priorities Waktu Pelayanan (U3) and Produk Pelayanan (U5); the plan of Tabel 2.3
(activities a., b. and a.-d., "Oktober - November") and the realisation of Tabel 3.1
(descriptions a.-d. for each element). The texts are the report's, word for word.
Tabel 3.1 letters the descriptions across the element; here each description belongs
to the activity it realises, and the report letters them through the plan again.

Written through the services (so the audit log shows the history) by the demo
"petugas" user. Running it again replaces the demo period's follow-up: same state.
The meetings of the seed's appendix are in `followup.meetings.demo`; `followup.demo`
loads both.
"""

from __future__ import annotations

import datetime as dt

from skm_portal.models import AuditEntry
from surveys.models import Period

from ..changes import delete_files_on_commit
from . import services
from .evidence import evidence_add_link
from .models import Activity, Evidence, FollowUpPlan

PERIOD = "Triwulan III 2024"
TIME_FRAME = "Oktober - November"
IN_CHARGE = "Bidang Layanan Perizinan dan Non Perizinan"
FKP_MATERIAL = ("Bahan Forum Konsultasi Publik Standar Pelayanan", "https://bit.ly/FKP_SP_DPMPTSP")
RAPAT_11_NOV = dt.date(2024, 11, 11)  # Undangan 500.16.7.2/1493/DPMPTSP-IV/2024 and its notula
FKP_30_OKT = dt.date(2024, 10, 30)  # Berita Acara FKP Penyusunan Standar Pelayanan 2024

# (code, name as Tabel 2.3, [(activity, [(description, date, [(evidence title, url)])])])
PLANS = [
    (
        "U3",
        "Waktu Pelayanan",
        [
            (
                "Evaluasi Standar Pelayanan dan Standar Operasional Prosedur",
                [
                    (
                        "Menyelenggarakan rapat evaluasi standar pelayanan dan standar operasional prosedur",
                        RAPAT_11_NOV,
                        [],
                    ),
                    (
                        "Berkoordinasi dengan dengan Biro Organisasi terkait evaluasi standar pelayanan dan standar "
                        "operasional prosedur",
                        None,
                        [],
                    ),
                    (
                        "Menyelenggarakan Forum Konsultasi Publik terkait evaluasi Standar Pelayanan dan Standar "
                        "Operasional Prosedur",
                        FKP_30_OKT,
                        [FKP_MATERIAL],
                    ),
                ],
            ),
            (
                "Monitoring dan evaluasi berkala",
                [
                    (
                        "Melakukan audit alur pelayanan yang menghambat dan menyederhanakan tahapan proses pelayanan "
                        "tanpa mengurangi kualitas dan akurasi pelayanan.",
                        None,
                        [],
                    ),
                ],
            ),
        ],
    ),
    (
        "U5",
        "Produk Pelayanan",
        [
            (
                "Standarisasi produk pelayanan",
                [
                    (
                        "Melaksanakan rapat evaluasi terkait penyusunan standar yang jelas terkait jenis dan kualitas "
                        "produk pelayanan yang dihasilkan",
                        RAPAT_11_NOV,
                        [],
                    )
                ],
            ),
            (
                "Peningkatan kualitas produk",
                [("Melaksanakan Forum Konsultasi Publik", FKP_30_OKT, [FKP_MATERIAL])],
            ),
            (
                "Inovasi layanan",
                [
                    (
                        "Mengembangkan produk pelayanan baru melalui penambahan fitur pada layanan "
                        "e-ptsp.kaltimprov.go.id yang lebih relevan dengan kebutuhan pelaku usaha terhadap berkas "
                        "perbaikan",
                        None,
                        [("Layanan e-PTSP DPMPTSP Provinsi Kalimantan Timur", "https://e-ptsp.kaltimprov.go.id")],
                    )
                ],
            ),
            (
                "Penyediaan informasi yang transparan",
                [
                    (
                        "Menyediakan informasi lengkap dan jelas mengenai produk pelayanan melalui media sosial.",
                        None,
                        [],
                    )
                ],
            ),
        ],
    ),
]


def _clear(period: Period) -> None:
    files = [f for f in Evidence.objects.filter(activity__plan__period=period).values_list("file", flat=True) if f]
    FollowUpPlan.objects.filter(period=period).delete()
    AuditEntry.objects.filter(
        app="followup", links__object_type="surveys.period", links__object_id=str(period.pk)
    ).delete()
    delete_files_on_commit(files)


def load(*, period: Period, user) -> str:
    _clear(period)
    plans = services.priorities_confirm(period=period, codes=[code for code, _name, _acts in PLANS], user=user)
    by_code = {plan.element_code: plan for plan in plans}
    activities = steps = 0
    for code, name, plan_activities in PLANS:
        plan = services.plan_update(
            plan=by_code[code], user=user, element_name=name, time_frame=TIME_FRAME, person_in_charge=IN_CHARGE
        )
        for title, descriptions in plan_activities:
            activity = services.activity_add(plan=plan, user=user, title=title)
            activities += 1
            for text, day, links in descriptions:
                step = services.step_add(activity=activity, user=user, description=text, started_on=day)
                steps += 1
                for link_title, url in links:
                    evidence_add_link(activity=activity, user=user, url=url, title=link_title, step=step)
            services.activity_set_status(activity=activity, user=user, status=Activity.Status.DONE)
    return f"Tindak lanjut: {len(plans)} rencana ({PERIOD}), {activities} kegiatan, {steps} realisasi."
