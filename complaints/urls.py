from django.urls import path

from . import views

app_name = "complaints"

urlpatterns = [
    # Public: the unit's complaint form and the tracking page.
    path("u/<slug:code>/pengaduan/", views.public_form, name="public-form"),
    path("lacak/", views.track_lookup, name="track-lookup"),
    path("lacak/<str:code>/", views.track, name="track"),
    # Staff: the register.
    path("pengaduan/", views.register, name="register"),
    path("pengaduan/ekspor.xlsx", views.export, name="export"),
    path("pengaduan/catat/", views.record, name="record"),
    path("pengaduan/<int:pk>/", views.detail, name="detail"),
    path("pengaduan/<int:pk>/konfirmasi/", views.acknowledge, name="acknowledge"),
    path("pengaduan/<int:pk>/jawab/", views.answer, name="answer"),
    path(
        "pengaduan/<int:pk>/lampiran/<int:attachment_pk>/",
        views.attachment,
        name="attachment",
    ),
]
