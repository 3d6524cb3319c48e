"""PAdES signatures with the office's certificate (pyHanko), and a self-signed one for demos.

The certificate and its private key are a PKCS#12 file at REPORT_SIGNING_P12. Its
passphrase is asked when the head of office signs (or read from
REPORT_SIGNING_PASSPHRASE by the command line and the demo); it is never stored.
REPORT_CERT_IS_BSRE says the certificate was issued by BSrE (BSSN): only then does a
report carry the BSrE sentence, and a self-signed certificate can never claim it.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

import segno
from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from skm_portal.siteurl import absolute_url, signing_refusal

BSRE_SENTENCE = (
    "Dokumen ini telah ditandatangani secara elektronik menggunakan sertifikat elektronik yang diterbitkan "
    "oleh Balai Sertifikasi Elektronik (BSrE), BSSN"
)
OWN_CERT_SENTENCE = (
    "Dokumen ini ditandatangani secara elektronik dengan sertifikat elektronik {office}. "
    "Keaslian dan keutuhannya dapat diperiksa melalui kode QR atau {url}"
)
SIGNATURE_FIELD = "TandaTanganKepala"


class SigningError(Exception):
    """Signing is not possible: no certificate, wrong passphrase, a false BSrE claim."""


def p12_path() -> Path:
    default = Path(settings.BASE_DIR) / "private" / "reports" / "signing.p12"
    return Path(getattr(settings, "REPORT_SIGNING_P12", "") or default)


def configured_passphrase() -> str:
    return getattr(settings, "REPORT_SIGNING_PASSPHRASE", "") or ""


def cert_is_bsre() -> bool:
    return bool(getattr(settings, "REPORT_CERT_IS_BSRE", False))


def esign_sentence(*, office_name: str, verify_url: str) -> str:
    """The footer sentence: BSrE's only when the office says its certificate is BSrE's."""
    if cert_is_bsre():
        return BSRE_SENTENCE
    return OWN_CERT_SENTENCE.format(office=office_name, url=verify_url)


def verify_path(code: str) -> str:
    try:
        return reverse("reports:verify_code", kwargs={"ref": code})
    except NoReverseMatch:  # the app's URLs not (yet) included: the path they will have
        return f"/laporan/verifikasi/{code}/"


def verify_url(code: str) -> str:
    """The public verification page of a signed document, at the office's address (SITE_URL)."""
    return absolute_url(verify_path(code))


def qr_svg(url: str) -> SafeString:
    # omitsize: a viewBox instead of a fixed size, so the stylesheet decides how large it prints.
    return mark_safe(segno.make(url, error="m", micro=False).svg_inline(border=1, omitsize=True))  # noqa: S308


@dataclass(frozen=True)
class SignedMarks:
    """What only a signed version shows: the statement, the QR code and the verification link.

    Templates get it as `signed`; a draft gets None and shows DRAF instead.
    """

    code: str
    url: str
    sentence: str
    qr_svg: SafeString


def signed_marks(*, code: str, office_name: str) -> SignedMarks:
    url = verify_url(code)
    return SignedMarks(
        code=code, url=url, sentence=esign_sentence(office_name=office_name, verify_url=url), qr_svg=qr_svg(url)
    )


def check_site() -> None:
    """SigningError while the verification link would not be the office's public address (production)."""
    refusal = signing_refusal()
    if refusal:
        raise SigningError(refusal)


@dataclass
class SigningIdentity:
    signer: object  # pyhanko SimpleSigner
    subject: str
    issuer: str
    sha256: str
    pem: str
    self_signed: bool


def _pem(der: bytes) -> str:
    from asn1crypto import pem

    return pem.armor("CERTIFICATE", der).decode("ascii")


@functools.cache
def _key_kept_signer_class():
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
    from pyhanko.sign.general import get_pyca_cryptography_hash
    from pyhanko.sign.signers import SimpleSigner

    class KeyKeptSigner(SimpleSigner):
        """pyHanko's SimpleSigner parses its private key again for every raw signature, twice
        per PDF (the size estimate, then the signature), and an RSA key's parse checks the key
        (~0.1 s for RSA-3072). The key was checked when the PKCS#12 was opened: kept parsed."""

        _parsed_key = None

        def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
            mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
            try:
                algorithm = mechanism.signature_algo
            except ValueError:
                algorithm = mechanism["algorithm"].native
            if algorithm == "rsassa_pkcs1v15" and self._parsed_key is None:
                self._parsed_key = serialization.load_der_private_key(
                    self.signing_key.dump(), password=None, unsafe_skip_rsa_key_validation=True
                )
            if algorithm != "rsassa_pkcs1v15" or not isinstance(self._parsed_key, RSAPrivateKey):
                return super().sign_raw(data, digest_algorithm)  # pyHanko's own path for the others
            return self._parsed_key.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))

    return KeyKeptSigner


def load_identity(passphrase: str) -> SigningIdentity:
    """The signer from the configured PKCS#12; SigningError if missing or the passphrase is wrong."""
    from pyhanko.sign.signers import SimpleSigner

    path = p12_path()
    if not path.is_file():
        raise SigningError(_("Berkas sertifikat penandatanganan (REPORT_SIGNING_P12) tidak ditemukan."))
    try:
        loaded = SimpleSigner.load_pkcs12_data(path.read_bytes(), other_certs=(), passphrase=passphrase.encode("utf-8"))
    except (ValueError, TypeError) as error:
        raise SigningError(_("Frasa sandi sertifikat salah, atau berkas sertifikat rusak.")) from error
    signer = _key_kept_signer_class()(
        signing_key=loaded.signing_key, signing_cert=loaded.signing_cert, cert_registry=loaded.cert_registry
    )
    cert = signer.signing_cert
    chain = [cert, *(c for c in signer.cert_registry if c.sha256 != cert.sha256)]
    self_signed = cert.subject == cert.issuer
    if cert_is_bsre() and self_signed:
        raise SigningError(
            _(
                "REPORT_CERT_IS_BSRE aktif, tetapi sertifikatnya swa-tanda (self-signed). "
                "Laporan tidak boleh menyatakan BSrE untuk sertifikat ini."
            )
        )
    now = dt.datetime.now(dt.UTC)
    if not (cert.not_valid_before <= now <= cert.not_valid_after):
        raise SigningError(_("Sertifikat penandatanganan sudah kedaluwarsa atau belum berlaku."))
    return SigningIdentity(
        signer=signer,
        subject=cert.subject.human_friendly,
        issuer=cert.issuer.human_friendly,
        sha256=hashlib.sha256(cert.dump()).hexdigest(),
        pem="".join(_pem(c.dump()) for c in chain),
        self_signed=self_signed,
    )


def sign_pdf(data: bytes, *, identity: SigningIdentity, reason: str, location: str, name: str) -> bytes:
    """An invisible PAdES (B-B) signature over the whole file; the visible block is in the PDF."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    meta = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason,
        location=location,
        name=name,
        certify=True,
        docmdp_permissions=fields.MDPPerm.NO_CHANGES,
    )
    return signers.sign_pdf(writer, meta, signer=identity.signer).getvalue()


def make_self_signed_p12(*, common_name: str, organisation: str, passphrase: str, days: int = 730) -> bytes:
    """A self-signed RSA-3072 certificate and key as PKCS#12, for local use and the demo only."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation[:64]),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64]),
        ]
    )
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
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
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return pkcs12.serialize_key_and_certificates(
        common_name.encode("utf-8")[:64],
        key,
        cert,
        None,
        serialization.BestAvailableEncryption(passphrase.encode("utf-8")),
    )
