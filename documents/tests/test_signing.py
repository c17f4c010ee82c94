"""Sealing and checking a PDF work from inside a running event loop too (a Playwright session
in the browser tests, an async caller), though pyHanko's sync API starts a loop of its own."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from documents.signing import certificate_pem, check_seal, seal_pdf, self_signed_pkcs12


def test_a_pdf_sealed_inside_a_running_event_loop_checks_out():
    pkcs12 = self_signed_pkcs12("Kepala Unit", "Unit Uji", "rahasia")
    from weasyprint import HTML

    pdf = HTML(string="<p>Surat</p>").write_pdf()

    async def in_a_loop():
        sealed = seal_pdf(pdf, pkcs12, "rahasia", reason="uji")
        return check_seal(sealed, [certificate_pem(pkcs12, "rahasia")])

    # A thread of its own: the session's main thread may already run Playwright's loop.
    with ThreadPoolExecutor(max_workers=1) as pool:
        assert pool.submit(asyncio.run, in_a_loop()).result().ok
