"""Attachments: at most 3 files of at most 5 MB, PDF, JPEG or PNG as their content shows.

The type is read from the file's first bytes (its magic number), never from its name or from
the type the browser claims: a program renamed to `foto.jpg` is refused.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from pulih.lib import filetypes
from pulih.lib.errors import InvalidInput

MAX_FILES = 3
MAX_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class CheckedFile:
    upload: UploadedFile
    original_name: str
    content_type: str
    extension: str
    size: int


def sniff(upload: UploadedFile) -> tuple[str, str] | None:
    """(content type, extension) read from the file's first bytes; None if not allowed."""
    return filetypes.detect(filetypes.read_all(upload)[:16])


def clean_name(name: str) -> str:
    base = os.path.basename(name.replace("\\", "/"))
    base = re.sub(r"[^\w.\- ]+", "_", base).strip(" .") or "lampiran"
    return base[-120:]


def check_attachments(
    files: list[UploadedFile], *, field: str = "attachments"
) -> list[CheckedFile]:
    """Validate every file before any is written; raise InvalidInput naming each bad one."""
    files = [f for f in files if f]
    if len(files) > MAX_FILES:
        raise InvalidInput(
            _("At most %(n)d files may be attached.") % {"n": MAX_FILES},
            fields={field: [_("At most %(n)d files may be attached.") % {"n": MAX_FILES}]},
        )
    errors: list[str] = []
    checked: list[CheckedFile] = []
    for upload in files:
        name = clean_name(upload.name or "")
        if upload.size > MAX_BYTES:
            errors.append(
                _("“%(name)s” is %(size)s; each file may be at most %(max)s.")
                % {
                    "name": name,
                    "size": filesizeformat(upload.size),
                    "max": filesizeformat(MAX_BYTES),
                }
            )
            continue
        if upload.size == 0:
            errors.append(_("“%(name)s” is empty.") % {"name": name})
            continue
        kind = sniff(upload)
        if kind is None:
            errors.append(
                _("“%(name)s” is not a PDF, JPEG or PNG file. Only these types are accepted.")
                % {"name": name}
            )
            continue
        if filetypes.is_polyglot(filetypes.read_all(upload)):
            errors.append(
                _("“%(name)s” is also readable as another kind of file (a web page or program).")
                % {"name": name}
            )
            continue
        content_type, extension = kind
        checked.append(CheckedFile(upload, name, content_type, extension, upload.size))
    if errors:
        raise InvalidInput(errors[0], fields={field: errors})
    return checked
