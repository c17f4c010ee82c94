"""What an uploaded file is, read from its bytes: one allow-list for every upload.

A file is accepted only when its first bytes prove an allowed type (PDF, JPEG, PNG) and
nothing in it reads as another type a browser or viewer would act on: a valid PDF that is
also an HTML page (a polyglot) is refused. Downloads are named after the detected type.
"""

from __future__ import annotations

import os
import re

# (magic prefix, content type, extension)
ALLOWED = [
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
]
EXTENSIONS = {content_type: extension for _magic, content_type, extension in ALLOWED}

# Markup a browser would render or run: if any of it appears, the file is also a web page.
_MARKUP = re.compile(
    rb"<\s*(html|script|!doctype|body|head|iframe|svg|object|embed|meta|\?xml)\b|javascript:",
    re.IGNORECASE,
)
# Other containers a file must not also be (an archive or a program glued to an image).
_OTHER_MAGIC = (b"PK\x03\x04", b"MZ\x90\x00", b"\x7fELF")


def detect(head: bytes) -> tuple[str, str] | None:
    """(content type, extension) the file's first bytes prove, or None if not allowed."""
    for magic, content_type, extension in ALLOWED:
        if head.startswith(magic):
            return content_type, extension
    return None


def read_all(upload) -> bytes:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return data


def is_polyglot(data: bytes) -> bool:
    """True if the bytes also parse as markup or carry another container's signature."""
    if _MARKUP.search(data):
        return True
    return any(magic in data[1:] for magic in _OTHER_MAGIC)


def download_name(original: str, content_type: str) -> str:
    """A safe file name for a download: the original's stem, the detected type's extension."""
    stem = os.path.splitext(os.path.basename(original.replace("\\", "/")))[0]
    stem = re.sub(r"[^\w\- ]+", "_", stem).strip(" ._") or "lampiran"
    return f"{stem[:100]}.{EXTENSIONS.get(content_type, 'bin')}"
