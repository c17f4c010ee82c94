from django.urls import path

from . import views

app_name = "organisations"

urlpatterns = [
    path("organisasi/", views.index, name="index"),
    path("organisasi/<slug:code>/", views.dashboard, name="dashboard"),
    path("organisasi/<slug:code>/unit/<slug:unit_code>/", views.unit_dashboard, name="unit"),
    path("o/<slug:code>/", views.public_page, name="public"),
]
