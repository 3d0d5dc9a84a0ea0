"""The certvalidator stand-in: flask-ask-sdk imports with it, and it validates chains honestly."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from skill.devtools.certs import NOW, chain, root
from skill.edge import sdk_compat
from skill.edge.sdk_compat import (
    CertificateValidator,
    PathError,
    ValidationContext,
    ValidationError,
)

LIBCRYPTO_ERROR = "Error detecting the version of libcrypto"
IMPORT_SDK = "import flask_ask_sdk.skill_adapter"


def _python(code: str) -> subprocess.CompletedProcess[str]:
    """Run `code` in a fresh interpreter, from the project's root."""
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True, text=True, timeout=120, cwd=Path(__file__).parents[2],
    )


def _trusting_test_root() -> ValidationContext:
    return ValidationContext(trust_roots=[root().certificate], moment=NOW)


def test_the_sdk_imports_after_install_and_without_it_only_where_oscrypto_works() -> None:
    without = _python(IMPORT_SDK)
    # Where oscrypto can parse OpenSSL's version, the plain import works and there is
    # nothing to prove; where it fails, it must be the problem this module exists for.
    if without.returncode != 0:
        assert LIBCRYPTO_ERROR in without.stderr
    with_install = _python(
        "from skill.edge import sdk_compat; sdk_compat.install(); "
        f"{IMPORT_SDK}; import certvalidator; "
        "assert certvalidator.CertificateValidator is sdk_compat.CertificateValidator"
    )
    assert with_install.returncode == 0, with_install.stderr


def test_install_is_idempotent() -> None:
    sdk_compat.install()
    sdk_compat.install()
    import certvalidator
    from certvalidator.errors import PathError as RegisteredPathError

    assert certvalidator.CertificateValidator is CertificateValidator
    assert RegisteredPathError is PathError


def test_a_good_chain_validates_up_to_the_trusted_root() -> None:
    leaf, intermediates = chain().der()
    path = CertificateValidator(leaf, intermediates, _trusting_test_root()).validate_usage(
        key_usage={"digital_signature"}
    )
    assert path == [chain().leaf, chain().intermediate, root().certificate]


def test_a_chain_under_an_untrusted_root_has_no_path() -> None:
    leaf, intermediates = chain(trusted=False).der()
    with pytest.raises(PathError):
        CertificateValidator(leaf, intermediates, _trusting_test_root()).validate_usage(
            key_usage={"digital_signature"}
        )


def test_a_chain_missing_its_intermediate_has_no_path() -> None:
    leaf, _ = chain().der()
    with pytest.raises(PathError):
        CertificateValidator(leaf, [], _trusting_test_root()).validate_usage(
            key_usage={"digital_signature"}
        )


def test_an_expired_leaf_is_invalid() -> None:
    leaf, intermediates = chain(expired=True).der()
    with pytest.raises(ValidationError, match="expired"):
        CertificateValidator(leaf, intermediates, _trusting_test_root()).validate_usage(
            key_usage={"digital_signature"}
        )


def test_the_moment_of_validation_is_the_contexts() -> None:
    leaf, intermediates = chain().der()
    later = ValidationContext(trust_roots=[root().certificate], moment=NOW + timedelta(days=31))
    with pytest.raises(ValidationError):
        CertificateValidator(leaf, intermediates, later).validate_usage(
            key_usage={"digital_signature"}
        )


def test_a_leaf_without_digital_signature_is_refused() -> None:
    leaf, intermediates = chain(digital_signature=False).der()
    with pytest.raises(ValidationError, match="digital_signature"):
        CertificateValidator(leaf, intermediates, _trusting_test_root()).validate_usage(
            key_usage={"digital_signature"}
        )


def test_extended_key_usage_is_checked_when_asked_for() -> None:
    leaf, intermediates = chain().der()
    validator = CertificateValidator(leaf, intermediates, _trusting_test_root())
    validator.validate_usage(key_usage=set(), extended_key_usage={"server_auth", "client_auth"})
    with pytest.raises(ValidationError, match="code_signing"):
        validator.validate_usage(key_usage=set(), extended_key_usage={"code_signing"})


def test_a_leaf_without_extended_key_usage_passes_only_if_it_is_optional() -> None:
    leaf, intermediates = chain(extended_key_usage=False).der()
    validator = CertificateValidator(leaf, intermediates, _trusting_test_root())
    validator.validate_usage(key_usage={"digital_signature"})
    validator.validate_usage(
        key_usage={"digital_signature"}, extended_key_usage={"server_auth"}, extended_optional=True
    )
    with pytest.raises(ValidationError):
        validator.validate_usage(
            key_usage={"digital_signature"}, extended_key_usage={"server_auth"}
        )


@pytest.mark.parametrize("der", [None, b"", b"not a certificate"])
def test_what_is_not_a_certificate_is_a_validation_error(der: bytes | None) -> None:
    with pytest.raises(ValidationError):
        CertificateValidator(der, [])  # type: ignore[arg-type]


def test_the_default_trust_roots_are_the_systems() -> None:
    assert len(sdk_compat.default_trust_roots()) > 10


def test_a_bundle_keeps_what_parses_and_drops_the_rest(tmp_path: Path) -> None:
    good = root().certificate.public_bytes(serialization.Encoding.PEM)
    bundle = tmp_path / "bundle.pem"
    bundle.write_bytes(
        b"-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n" + good
    )
    assert sdk_compat.load_trust_roots(bundle) == [root().certificate]


def test_the_sdks_own_verifier_refuses_a_chain_through_the_adapter() -> None:
    """ask-sdk's RequestVerifier calls the adapter exactly as it called certvalidator: our
    test chain is not under a system root, so the SDK must turn PathError into its own
    VerificationException (a private method: it is the one that calls certvalidator)."""
    sdk_compat.install()
    from ask_sdk_webservice_support.verifier import RequestVerifier, VerificationException

    with pytest.raises(VerificationException, match="Certificate chain is not valid"):
        RequestVerifier()._validate_cert_chain(chain().pem())
