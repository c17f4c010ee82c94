"""Render the samples committed beside this script from the demo data: the first page, as PNG at
100 dpi, of an SK, an apology letter, a summons, a hearing record (BAP) and the report PDF of
the demo unit, each document as issued through the real workflow by `demo_data`.

    make samples

(that is `python docs/samples/make_samples.py`; on a scratch SQLite database of its own unless
DATABASE_URL is set, which it migrates and fills with the demo; needs pdftoppm from
poppler-utils).
"""

from __future__ import annotations

import datetime
import os
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRATCH = Path(tempfile.mkdtemp(prefix="pulih-samples-"))
sys.path.insert(0, str(HERE.parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pulih.settings")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{SCRATCH / 'samples.sqlite3'}")
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
os.environ["TASKS_BACKEND"] = "immediate"
os.environ.pop("REDIS_URL", None)
os.environ.pop("CACHE_URL", None)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

DPI = "100"
NAMES = {  # document kind → file name
    "decree": "sk",
    "apology": "surat-permohonan-maaf",
    "summons": "surat-panggilan",
    "hearing_record": "bap",
}


def png_of_first_page(pdf: bytes, stem: str) -> Path:
    source = SCRATCH / f"{stem}.pdf"
    source.write_bytes(pdf)
    command = ["pdftoppm", "-png", "-gray", "-r", DPI, "-f", "1", "-l", "1", "-singlefile"]
    subprocess.run([*command, str(source), str(HERE / stem)], check=True)
    return shrink(HERE / f"{stem}.png")


def shrink(png: Path) -> Path:
    """16 grey levels, 4 bits a pixel: a page stays legible at a third of the bytes."""
    from PIL import Image

    with Image.open(png) as image:
        small = image.convert("L").quantize(16)
    small.save(png, optimize=True, bits=4)
    return png


def main() -> None:
    settings.MEDIA_ROOT = SCRATCH / "uploads"
    settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("demo_data", password=secrets.token_urlsafe(12), stdout=open(os.devnull, "w"))  # noqa: SIM115
    from cases.models import IssuedDocument
    from reports.figures import gather
    from reports.render import report_pdf
    from units.models import Unit
    from units.standard import UNIT_CODE

    unit = Unit.objects.get(code=UNIT_CODE)
    for kind, stem in NAMES.items():
        document = IssuedDocument.objects.filter(unit=unit, kind=kind).order_by("-pk").first()
        path = png_of_first_page(document.read(), stem)
        print(f"{path.name}: {document.number} ({path.stat().st_size // 1024} KiB)")
    today = datetime.datetime.now(unit.zone).date()
    start = today.replace(month=1, day=1)
    path = png_of_first_page(report_pdf(gather(unit, start, today)), "laporan")
    print(f"{path.name}: report {start} – {today} ({path.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
