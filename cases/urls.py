from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("kasus/", views.case_list, name="list"),
    path("kasus/baru/", views.open_manual_case, name="open"),
    path("kasus/saya/", views.my_cases, name="mine"),
    path("kasus/saya/<int:pk>/pembelaan/", views.submit_defence, name="defence"),
    path("kasus/<int:pk>/", views.case_detail, name="detail"),
    path("kasus/<int:pk>/aksi/<slug:action>/", views.case_action, name="action"),
    path("kasus/<int:pk>/sk.pdf", views.decree_pdf, name="decree-pdf"),
    path("kasus/<int:pk>/sk-draf.pdf", views.decree_preview, name="decree-preview"),
    path("kasus/<int:pk>/surat-maaf.pdf", views.apology_pdf, name="apology-pdf"),
    path("kasus/<int:pk>/dokumen/<int:document_id>.pdf", views.document_pdf, name="document-pdf"),
    path("kasus/<int:pk>/lampiran/<int:attachment_id>/", views.attachment, name="attachment"),
    path("perbaikan/", views.improvement_list, name="improvements"),
    path("perbaikan/<int:pk>/selesai/", views.improvement_done, name="improvement-done"),
    path("verifikasi/<slug:code>/", views.verify_document, name="verify"),
    path("kompensasi/<slug:token>/", views.track_compensation, name="track"),
]
