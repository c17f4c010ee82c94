from django.urls import path

from . import views

app_name = "recovery"

urlpatterns = [
    path("tindak-lanjut/<str:token>/", views.followup, name="followup"),
]
