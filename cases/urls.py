from django.urls import path

from . import intake_views, views

app_name = "cases"

urlpatterns = [
    path("kasus/", views.case_list, name="list"),
    path("kasus/baru/", views.open_manual_case, name="open"),
    path("kasus/saya/", views.my_cases, name="mine"),
    path(
        "kasus/saya/<int:pk>/pembelaan/",
        views.own_action,
        {"action": "defence"},
        name="defence",
    ),
    path(
        "kasus/saya/<int:pk>/keberatan/",
        views.own_action,
        {"action": "object"},
        name="object",
    ),
    path("kasus/<int:pk>/", views.case_detail, name="detail"),
    path("kasus/<int:pk>/aksi/<slug:action>/", views.case_action, name="action"),
    path("kasus/<int:pk>/sk.pdf", views.decree_pdf, name="decree-pdf"),
    path("kasus/<int:pk>/sk-draf.pdf", views.decree_preview, name="decree-preview"),
    path("kasus/<int:pk>/surat-maaf.pdf", views.apology_pdf, name="apology-pdf"),
    path("kasus/<int:pk>/dokumen/<int:document_id>.pdf", views.document_pdf, name="document-pdf"),
    path("kasus/<int:pk>/lampiran/<int:attachment_id>/", views.attachment, name="attachment"),
    path("verifikasi/<slug:code>/", views.verify_document, name="verify"),
    path("kompensasi/<slug:token>/", views.track_compensation, name="track"),
    # Intake: the daily check's referral of flagged responses, the complaint's triage.
    path("harian/rujuk/", intake_views.refer_flagged, name="refer-flagged"),
    path(
        "harian/respons/<int:pk>/tidak-dirujuk/",
        intake_views.decline_flagged,
        name="decline-flagged",
    ),
    path("pengaduan/<int:pk>/triase/", intake_views.triage_complaint, name="triage-complaint"),
]
