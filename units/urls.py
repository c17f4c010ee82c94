from django.urls import path

from . import views

urlpatterns = [
    path("unit/switch/", views.switch_unit, name="switch-unit"),
    path("u/<slug:code>/", views.standard_page, name="standard"),
]
