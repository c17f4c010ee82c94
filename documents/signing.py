"""Sealing PDFs with a PAdES signature (pyHanko) and checking a seal; a self-signed
certificate for demos and tests (cryptography)."""

from __future__ import annotations

import asyncio
import datetime
import io
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")


def _outside_event_loop(fn: Callable[[], T]) -> T:
    """pyHanko's sync API calls `asyncio.run`, which refuses to start inside a running loop (a
    Playwright session in the tests, an async caller): there, run it in a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return fn()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(fn).result()


class SigningError(Exception):
    """The unit's certificate could not be loaded (wrong passphrase, not a PKCS#12 file)."""


def seal_pdf(pdf: bytes, pkcs12: bytes, passphrase: str, *, reason: str = "") -> bytes:
    """`pdf` sealed with a PAdES baseline signature made with the key in `pkcs12`."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    try:
        signer = signers.SimpleSigner.load_pkcs12_data(
            pkcs12, other_certs=[], passphrase=passphrase.encode() if passphrase else None
        )
    except Exception as exc:  # noqa: BLE001 - pyHanko raises several kinds for a bad file
        raise SigningError(str(exc)) from exc
    if signer is None:
        raise SigningError("The PKCS#12 file could not be read.")
    meta = signers.PdfSignatureMetadata(
        field_name="Pulih",
        reason=reason or None,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    out = _outside_event_loop(lambda: signers.sign_pdf(writer, meta, signer=signer))
    return out.getvalue()


@dataclass(frozen=True)
class SealCheck:
    signed: bool
    intact: bool  # the signed bytes are unchanged
    valid: bool  # the signature verifies with the signer's certificate
    trusted: bool  # ... and that certificate chains to one of `trust_roots`
    signer: str

    @property
    def ok(self) -> bool:
        return self.signed and self.intact and self.valid and self.trusted


def check_seal(pdf: bytes, trust_roots: list[bytes] = ()) -> SealCheck:
    """Validate the first signature of `pdf` (trust roots: DER or PEM certificates)."""
    from asn1crypto import pem, x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        signatures = reader.embedded_signatures
    except Exception:  # noqa: BLE001 - a damaged file is simply not validly signed
        return SealCheck(False, False, False, False, "")
    if not signatures:
        return SealCheck(False, False, False, False, "")
    roots = []
    for data in trust_roots:
        if pem.detect(data):
            _type, _headers, data = pem.unarmor(data)
        roots.append(x509.Certificate.load(data))
    context = ValidationContext(trust_roots=roots, allow_fetching=False)
    try:
        status = _outside_event_loop(lambda: validate_pdf_signature(signatures[0], context))
    except Exception:  # noqa: BLE001
        return SealCheck(True, False, False, False, "")
    return SealCheck(
        signed=True,
        intact=bool(status.intact),
        valid=bool(status.valid),
        trusted=bool(status.trusted),
        signer=status.signing_cert.subject.human_friendly,
    )


def self_signed_pkcs12(common_name: str, organisation: str, passphrase: str) -> bytes:
    """A PKCS#12 file holding a new RSA key and a self-signed certificate, valid for 5 years."""
    from cryptography import x509 as cx509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = cx509.Name(
        [
            cx509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
            cx509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation[:64]),
            cx509.NameAttribute(NameOID.COMMON_NAME, common_name[:64]),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        cx509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(cx509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=5 * 365))
        .add_extension(cx509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            cx509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            cx509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False
        )
        .sign(key, hashes.SHA256())
    )
    encryption = (
        serialization.BestAvailableEncryption(passphrase.encode())
        if passphrase
        else serialization.NoEncryption()
    )
    return pkcs12.serialize_key_and_certificates(
        common_name.encode(), key, certificate, None, encryption
    )


def certificate_pem(pkcs12: bytes, passphrase: str) -> bytes:
    """The certificate in a PKCS#12 file, as PEM (to trust it when checking a seal)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12 as p12

    _key, certificate, _more = p12.load_key_and_certificates(
        pkcs12, passphrase.encode() if passphrase else None
    )
    return certificate.public_bytes(serialization.Encoding.PEM)
