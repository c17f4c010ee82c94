"""Pulih's URLs plus the submission benchmark's floor (bench/floor.py)."""

from django.urls import path

from bench import floor
from pulih.urls import handler403, handler404, handler500
from pulih.urls import urlpatterns as product

urlpatterns = [path("bench/floor/<str:token>/", floor.floor, name="bench-floor"), *product]

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]
