from django.urls import path

from . import import_views, views

urlpatterns = [
    # staff
    path("layanan/", views.record_list, name="service-records"),
    path("layanan/baru/", views.record_new, name="service-record-new"),
    path("layanan/<int:pk>/", views.record_detail, name="service-record"),
    path("layanan/<int:pk>/struk/", views.record_receipt, name="service-record-receipt"),
    path("layanan/poster/<slug:code>/", views.poster, name="survey-poster"),
    path("layanan/kode-petugas/", views.officer_code_list, name="officer-codes"),
    path("harian/", views.daily, name="daily-check"),
    path("harian/tanda-tangan/", views.daily_sign, name="daily-sign"),
    path("harian/rekap.pdf", views.daily_recap, name="daily-recap"),
    path("ikm/", views.ikm_page, name="ikm"),
    path("perbaikan/", views.improvement_list, name="improvements"),
    path("perbaikan/<int:pk>/selesai/", views.improvement_done, name="improvement-done"),
    path("impor-survei/", import_views.import_upload, name="survey-import"),
    path("impor-survei/<int:pk>/", import_views.import_preview, name="survey-import-preview"),
    path("impor-survei/<int:pk>/proses/", import_views.import_status, name="survey-import-status"),
    path(
        "impor-survei/<int:pk>/laporan.txt", import_views.import_report, name="survey-import-report"
    ),
    path("impor-survei/<int:pk>/batal/", import_views.import_cancel, name="survey-import-cancel"),
    path("pengaturan/profil-responden/", views.profile_settings, name="profile-settings"),
    # public
    path("s/<str:token>/", views.survey, name="survey"),
    path("u/<slug:code>/survey/<slug:service>/", views.survey_walk_in, name="survey-walk-in"),
]
