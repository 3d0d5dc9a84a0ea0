"""Alexa-like certificate chains and signed requests, made with `cryptography`, for the
tests and the load benchmark (never used by the served skill).

A private root CA signs an intermediate, which signs the signing leaf (SAN
echo-api.amazon.com, key usage digital_signature, as Amazon's is). Variants: another
SAN, an expired leaf, a leaf without digital_signature, and a chain under a root that
nobody trusts. Every chain is valid around NOW, the moment this module was imported,
so it serves both a FixedClock(NOW) and a real clock. HTTP end-to-end runs reuse these
helpers: `write_cert_cache` gives a server a chain without internet, and
`write_trust_roots` the file for SMALL_STEPS_TRUST_ROOTS.
"""

from __future__ import annotations

import base64
import functools
import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from skill.edge.verification import cert_cache_path, check_cert_url

NOW = datetime.now(timezone.utc).replace(microsecond=0)
ALEXA_SAN = "echo-api.amazon.com"
CERT_URL = "https://s3.amazonaws.com/echo.api/echo-api-cert-test.pem"
SKILL_ID = "amzn1.ask.skill.5f0ce5a1-0000-4d6e-9c1b-1a2b3c4d5e6f"
USER_ID = "amzn1.ask.account.AFX7TESTUSERIDSHOULDNEVERBELOGGED"
DEVICE_ID = "amzn1.ask.device.AEX3TESTDEVICEIDSHOULDNEVERBELOGGED"


@dataclass(frozen=True)
class Authority:
    """A CA certificate and its key."""

    certificate: x509.Certificate
    key: rsa.RSAPrivateKey


@dataclass(frozen=True)
class Chain:
    """A signing leaf, its key, the intermediate that issued it and the root above."""

    leaf: x509.Certificate
    key: rsa.RSAPrivateKey
    intermediate: x509.Certificate
    root: x509.Certificate

    def pem(self) -> bytes:
        """As Amazon serves it: leaf first, then the intermediate."""
        certificates = (self.leaf, self.intermediate)
        return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certificates)

    def __reduce__(self) -> tuple:
        """Pickled as PEM, so a worker process can sign with it (keys do not pickle)."""
        certificates = b"".join(c.public_bytes(serialization.Encoding.PEM)
                                for c in (self.leaf, self.intermediate, self.root))
        key = self.key.private_bytes(serialization.Encoding.PEM,
                                     serialization.PrivateFormat.PKCS8,
                                     serialization.NoEncryption())
        return _chain_from_pem, (certificates, key)

    def der(self) -> tuple[bytes, list[bytes]]:
        """(leaf, [intermediate]) as DER, the form certvalidator's API takes."""
        return self.leaf.public_bytes(serialization.Encoding.DER), [
            self.intermediate.public_bytes(serialization.Encoding.DER)
        ]


def _chain_from_pem(certificates: bytes, key: bytes) -> Chain:
    leaf, intermediate_, root_ = x509.load_pem_x509_certificates(certificates)
    return Chain(leaf, serialization.load_pem_private_key(key, password=None),
                 intermediate_, root_)


@functools.cache
def _rsa_key(name: str) -> rsa.RSAPrivateKey:
    """One 2048-bit key per role, made once per test run."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _name(common_name: str) -> x509.Name:
    return x509.Name([
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Small Steps tests"),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
    ])


def _key_usage(*, digital_signature: bool = False, ca: bool = False) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=digital_signature, content_commitment=False,
        key_encipherment=not ca, data_encipherment=False, key_agreement=False,
        key_cert_sign=ca, crl_sign=ca, encipher_only=False, decipher_only=False,
    )


def _builder(
    subject: str, key: rsa.RSAPrivateKey, issuer: Authority | None, valid: tuple[datetime, datetime]
) -> x509.CertificateBuilder:
    issuer_key = issuer.key if issuer else key
    return (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(issuer.certificate.subject if issuer else _name(subject))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(valid[0])
        .not_valid_after(valid[1])
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
            critical=False,
        )
    )


def _authority(name: str, issuer: Authority | None) -> Authority:
    key = _rsa_key(name)
    years = 10 if issuer is None else 5
    certificate = (
        _builder(name, key, issuer, (NOW - timedelta(days=365), NOW + timedelta(days=365 * years)))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(_key_usage(ca=True), critical=True)
        .sign(issuer.key if issuer else key, hashes.SHA256())
    )
    return Authority(certificate, key)


@functools.cache
def root(trusted: bool = True) -> Authority:
    """The test root CA, or (trusted=False) one that no test puts in its trust store."""
    return _authority("Test Root CA" if trusted else "Untrusted Root CA", None)


@functools.cache
def intermediate(trusted: bool = True) -> Authority:
    name = "Test Intermediate CA" if trusted else "Untrusted Intermediate CA"
    return _authority(name, root(trusted))


@functools.cache
def chain(
    *,
    san: str = ALEXA_SAN,
    expired: bool = False,
    digital_signature: bool = True,
    extended_key_usage: bool = True,
    trusted: bool = True,
) -> Chain:
    """The good signing chain by default; each argument spoils one thing."""
    valid = (NOW - timedelta(days=100), NOW - timedelta(days=1)) if expired else (
        NOW - timedelta(days=1), NOW + timedelta(days=30)
    )
    issuer = intermediate(trusted)
    key = _rsa_key("leaf")
    builder = (
        _builder(san, key, issuer, valid)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(digital_signature=digital_signature), critical=True)
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(san)]), critical=False)
    )
    if extended_key_usage:  # Amazon's leaf, like any public TLS certificate, has both
        purposes = [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]
        builder = builder.add_extension(x509.ExtendedKeyUsage(purposes), critical=False)
    leaf = builder.sign(issuer.key, hashes.SHA256())
    return Chain(leaf, key, issuer.certificate, root(trusted).certificate)


def sign(body: bytes, key: rsa.RSAPrivateKey) -> str:
    """The Signature-256 header value: base64 of RSA PKCS#1 v1.5 SHA-256 over the body."""
    return base64.b64encode(key.sign(body, padding.PKCS1v15(), hashes.SHA256())).decode()


def headers(body: bytes, signing: Chain | None = None, url: str = CERT_URL) -> dict[str, str]:
    """Headers Alexa would send with `body`, signed by `signing` (the good chain by default)."""
    return {
        "Content-Type": "application/json; charset=utf-8",
        "SignatureCertChainUrl": url,
        "Signature-256": sign(body, (signing or chain()).key),
    }


def alexa_timestamp(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def envelope(skill_id: str, timestamp: datetime, request_type: str = "LaunchRequest") -> bytes:
    """A realistic request envelope as Alexa serialises it."""
    application = {"applicationId": skill_id}
    user = {"userId": USER_ID}
    return json.dumps({
        "version": "1.0",
        "session": {
            "new": True,
            "sessionId": f"amzn1.echo-api.session.{uuid.uuid4()}",
            "application": application,
            "user": user,
        },
        "context": {
            "System": {
                "application": application,
                "user": user,
                "device": {"deviceId": DEVICE_ID, "supportedInterfaces": {}},
                "apiEndpoint": "https://api.amazonalexa.com",
                "apiAccessToken": "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.test.token",
            },
        },
        "request": {
            "type": request_type,
            "requestId": f"amzn1.echo-api.request.{uuid.uuid4()}",
            "timestamp": alexa_timestamp(timestamp),
            "locale": "en-US",
            "shouldLinkResultBeReturned": False,
        },
    }).encode()


def write_cert_cache(cache_dir: Path, url: str = CERT_URL, signing: Chain | None = None) -> Path:
    """Put a chain in a verifier's disk cache as if it had been fetched from `url`."""
    path = cert_cache_path(cache_dir, check_cert_url(url))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes((signing or chain()).pem())
    return path


def write_trust_roots(path: Path, trusted_root: x509.Certificate | None = None) -> Path:
    """A PEM file holding the test root, for SMALL_STEPS_TRUST_ROOTS."""
    path.write_bytes((trusted_root or root().certificate).public_bytes(serialization.Encoding.PEM))
    return path
