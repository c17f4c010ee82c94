"""Pulih's URLs plus the bench's floors: submissions (bench/floor.py), the framework floor page
(bench/pages.py)."""

from django.urls import path

from bench import floor, pages
from pulih.urls import handler403, handler404, handler500
from pulih.urls import urlpatterns as product

urlpatterns = [
    path("bench/floor/<str:token>/", floor.floor, name="bench-floor"),
    path("bench/page/", pages.framework_floor, name="bench-page"),
    *product,
]

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]
