from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("laporan/", views.dashboard, name="dashboard"),
    path("laporan/unduh.pdf", views.download_pdf, name="pdf"),
    path("laporan/unduh.xlsx", views.download_xlsx, name="xlsx"),
    path("laporan/berkas/<int:pk>/", views.report_file, name="file"),
    path("laporan/berkas/<int:pk>/unduh", views.report_file_download, name="file-download"),
    path("laporan/audit/", views.audit, name="audit"),
    path("u/<slug:code>/hasil/", views.results, name="results"),
]
