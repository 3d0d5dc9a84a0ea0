r"""A stand-in for `certvalidator`, so that flask-ask-sdk imports on OpenSSL 3.0.10+.

flask-ask-sdk 1.0.0 imports ask-sdk-webservice-support's verifier, which imports
`certvalidator`, which loads oscrypto 1.3.0. oscrypto reads the libcrypto version with
`\b(\d\.\d\.\d[a-z]*)\b`, which cannot match "OpenSSL 3.0.19", so the import dies with
"Error detecting the version of libcrypto"; no fixed oscrypto release exists.
`install()` registers this module's small replacement under the name `certvalidator`
before the SDK is imported: `CertificateValidator(...).validate_usage(...)` and the
errors `ValidationError` / `PathError`, built on `cryptography.x509.verification`.
"""

from __future__ import annotations

import functools
import sys
import types
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from cryptography import x509
from cryptography.utils import CryptographyDeprecationWarning
from cryptography.x509.oid import ExtendedKeyUsageOID
from cryptography.x509.verification import (
    Criticality,
    ExtensionPolicy,
    PolicyBuilder,
    Store,
    VerificationError,
)

SYSTEM_CA_BUNDLE = Path("/etc/ssl/certs/ca-certificates.crt")

# certvalidator's key-usage names -> attributes of cryptography's x509.KeyUsage.
_KEY_USAGE_ATTRIBUTES = {
    "digital_signature": "digital_signature",
    "non_repudiation": "content_commitment",
    "key_encipherment": "key_encipherment",
    "data_encipherment": "data_encipherment",
    "key_agreement": "key_agreement",
    "key_cert_sign": "key_cert_sign",
    "crl_sign": "crl_sign",
    "encipher_only": "encipher_only",
    "decipher_only": "decipher_only",
}

# certvalidator's extended-key-usage names -> OIDs.
_EXTENDED_KEY_USAGE_OIDS = {
    "server_auth": ExtendedKeyUsageOID.SERVER_AUTH,
    "client_auth": ExtendedKeyUsageOID.CLIENT_AUTH,
    "code_signing": ExtendedKeyUsageOID.CODE_SIGNING,
    "email_protection": ExtendedKeyUsageOID.EMAIL_PROTECTION,
    "time_stamping": ExtendedKeyUsageOID.TIME_STAMPING,
    "ocsp_signing": ExtendedKeyUsageOID.OCSP_SIGNING,
}

# Web PKI rules for every certificate in the path, except that, like certvalidator,
# the path itself asks nothing of extended key usage or of the leaf's names: those are
# for the caller to check (validate_usage's arguments; the Alexa verifier's SAN check).
_CA_POLICY = ExtensionPolicy.webpki_defaults_ca().may_be_present(
    x509.ExtendedKeyUsage, Criticality.AGNOSTIC, None
)
_EE_POLICY = (
    ExtensionPolicy.webpki_defaults_ee()
    .may_be_present(x509.ExtendedKeyUsage, Criticality.AGNOSTIC, None)
    .may_be_present(x509.SubjectAlternativeName, Criticality.AGNOSTIC, None)
)


class ValidationError(Exception):
    """A certificate is unusable: unparsable, outside its validity, or wrong usage."""


class PathError(Exception):
    """No valid path leads from the certificate to a trusted root."""


@dataclass(frozen=True)
class ValidationContext:
    """The part of certvalidator's ValidationContext this adapter honours.

    Unlike certvalidator, trust roots are `cryptography` certificates; None means the
    system's CA bundle. `moment` None means now.
    """

    trust_roots: Sequence[x509.Certificate] | None = None
    moment: datetime | None = None


def load_trust_roots(path: Path) -> list[x509.Certificate]:
    """Every certificate in a PEM bundle that cryptography accepts.

    System bundles can hold legacy roots that cryptography refuses, or warns about
    (a negative serial number); leaving one out only narrows what is trusted.
    """
    roots = []
    for block in path.read_bytes().split(b"-----END CERTIFICATE-----")[:-1]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", CryptographyDeprecationWarning)
            try:
                roots.append(x509.load_pem_x509_certificate(block + b"-----END CERTIFICATE-----\n"))
            except ValueError:
                continue
    return roots


@functools.cache
def default_trust_roots() -> tuple[x509.Certificate, ...]:
    """The system CA bundle, or certifi's when the system has none."""
    if SYSTEM_CA_BUNDLE.is_file():
        return tuple(load_trust_roots(SYSTEM_CA_BUNDLE))
    import certifi

    return tuple(load_trust_roots(Path(certifi.where())))


def validate_path(
    leaf: x509.Certificate,
    intermediates: Sequence[x509.Certificate],
    context: ValidationContext,
) -> list[x509.Certificate]:
    """The verified chain, leaf first and trusted root last.

    Raises ValidationError for a leaf outside its validity period, PathError when
    no path reaches a trusted root at the context's moment.
    """
    moment = context.moment or datetime.now(timezone.utc)
    if not leaf.not_valid_before_utc <= moment <= leaf.not_valid_after_utc:
        raise ValidationError("the certificate is expired or not yet valid")
    roots = context.trust_roots if context.trust_roots is not None else default_trust_roots()
    verifier = (
        PolicyBuilder()
        .store(Store(list(roots)))
        .time(moment)
        .extension_policies(ca_policy=_CA_POLICY, ee_policy=_EE_POLICY)
        .build_client_verifier()
    )
    try:
        return verifier.verify(leaf, list(intermediates)).chain
    except VerificationError as e:
        raise PathError(f"no valid path to a trusted root: {e}") from e


def check_key_usage(leaf: x509.Certificate, required: Iterable[str]) -> None:
    """Raise ValidationError unless the leaf's KeyUsage allows every named usage."""
    names = set(required)
    if not names:
        return
    try:
        usage = leaf.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound as e:
        raise ValidationError("the certificate has no key usage extension") from e
    missing = sorted(name for name in names if not _allows(usage, name))
    if missing:
        raise ValidationError(f"the certificate's key usage lacks {', '.join(missing)}")


def _allows(usage: x509.KeyUsage, name: str) -> bool:
    if name not in _KEY_USAGE_ATTRIBUTES:
        raise ValueError(f"unknown key usage {name!r}")
    try:
        return bool(getattr(usage, _KEY_USAGE_ATTRIBUTES[name]))
    except ValueError:  # encipher_only / decipher_only are undefined without key_agreement
        return False


def check_extended_key_usage(
    leaf: x509.Certificate, required: Iterable[str], optional: bool
) -> None:
    """Raise ValidationError unless the leaf's ExtendedKeyUsage has every named purpose.

    With `optional`, a leaf without the extension passes (certvalidator's
    `extended_optional`).
    """
    unknown = set(required) - _EXTENDED_KEY_USAGE_OIDS.keys()
    if unknown:
        raise ValueError(f"unknown extended key usage {', '.join(sorted(unknown))}")
    try:
        purposes = set(leaf.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value)
    except x509.ExtensionNotFound as e:
        if optional:
            return
        raise ValidationError("the certificate has no extended key usage extension") from e
    missing = sorted(name for name in required if _EXTENDED_KEY_USAGE_OIDS[name] not in purposes)
    if missing:
        raise ValidationError(f"the certificate's extended key usage lacks {', '.join(missing)}")


class CertificateValidator:
    """certvalidator.CertificateValidator, for the calls ask-sdk-webservice-support makes."""

    def __init__(
        self,
        end_entity_cert: bytes,
        intermediate_certs: Iterable[bytes] | None = None,
        validation_context: ValidationContext | None = None,
    ):
        self._leaf = _load_der(end_entity_cert)
        self._intermediates = [_load_der(der) for der in intermediate_certs or ()]
        self._context = validation_context or ValidationContext()

    def validate_usage(
        self,
        key_usage: set[str],
        extended_key_usage: set[str] | None = None,
        extended_optional: bool = False,
    ) -> list[x509.Certificate]:
        """The verified chain; raises PathError or ValidationError as certvalidator does."""
        chain = validate_path(self._leaf, self._intermediates, self._context)
        check_key_usage(self._leaf, key_usage)
        if extended_key_usage is not None:
            check_extended_key_usage(self._leaf, extended_key_usage, extended_optional)
        return chain


def _load_der(der: bytes | None) -> x509.Certificate:
    if not der:  # the SDK passes None when the PEM held no certificate
        raise ValidationError("no certificate given")
    try:
        return x509.load_der_x509_certificate(der)
    except ValueError as e:
        raise ValidationError(f"not a DER X.509 certificate: {e}") from e


def install() -> None:
    """Register this adapter as `certvalidator` and `certvalidator.errors`.

    Always the adapter, never a probe of the real package first: importing the real
    one is what fails on OpenSSL 3.0.10+, and a probe would make the skill validate
    certificates with different code on different machines. A `certvalidator`
    already in sys.modules is left alone (calling install() twice is harmless; a
    real one imported earlier has already been bound by whoever imported it).
    """
    if "certvalidator" in sys.modules:
        return
    errors = types.ModuleType("certvalidator.errors",
                              "certvalidator's errors (skill.edge.sdk_compat)")
    vars(errors).update(ValidationError=ValidationError, PathError=PathError)
    package = types.ModuleType("certvalidator", __doc__)
    vars(package).update(
        CertificateValidator=CertificateValidator,
        ValidationContext=ValidationContext,
        errors=errors,
    )
    sys.modules["certvalidator.errors"] = errors
    sys.modules["certvalidator"] = package
