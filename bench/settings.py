"""The bench's settings: Pulih's, with the bench's URLs (bench/urls.py) adding its floors (the
submission floor, the framework floor page, the reference letter) and its one template.
Only `make bench` uses them (DJANGO_SETTINGS_MODULE=bench.settings)."""

from pulih.settings import *  # noqa: F403
from pulih.settings import BASE_DIR, TEMPLATES

ROOT_URLCONF = "bench.urls"
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "templates"]
