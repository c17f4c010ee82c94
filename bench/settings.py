"""The bench's settings: Pulih's, with the bench's URLs (bench/urls.py) adding the floor view.
Only `make bench` uses them (DJANGO_SETTINGS_MODULE=bench.settings)."""

from pulih.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
