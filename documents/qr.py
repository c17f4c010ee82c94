"""QR codes for printed documents (segno): a PNG data URI WeasyPrint embeds as it is."""

from __future__ import annotations

import base64
import io

QR_ERROR = "m"  # 15% of the code may be damaged (a stamped or folded paper copy)


def qr_code(url: str):
    import segno

    return segno.make(url, error=QR_ERROR, micro=False, boost_error=False)


def qr_data_uri(url: str) -> str:
    """A PNG of the QR code of `url`, one pixel per module with the 4-module quiet zone;
    printed with `image-rendering: pixelated` so that each module stays a sharp square."""
    buffer = io.BytesIO()
    qr_code(url).save(buffer, kind="png", scale=1, border=4)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
