"""infra/nginx/small-steps.conf run by a real nginx, unprivileged, in a temporary
directory: a self-signed certificate in place of Let's Encrypt's, high ports in place
of 80 and 443, and the upstream wherever the test server listens."""

from __future__ import annotations

import datetime
import os
import re
import subprocess
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.infra.conftest import INFRA

HOST = "skill.example.org"


def self_signed(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, HOST)])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(HOST)]), critical=False)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = directory / "fullchain.pem", directory / "privkey.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


def prepare(directory: Path, *, http_port: int = 18080, https_port: int = 18443,
            upstream_port: int = 8000) -> Path:
    """nginx.conf in `directory` that includes the site, adapted as above."""
    directory.mkdir(parents=True, exist_ok=True)
    cert, key = self_signed(directory)
    site = (INFRA / "nginx" / "small-steps.conf").read_text()
    site = site.replace(f"/etc/letsencrypt/live/{HOST}/fullchain.pem", str(cert))
    site = site.replace(f"/etc/letsencrypt/live/{HOST}/privkey.pem", str(key))
    site = site.replace("/var/log/nginx/", f"{directory}/")
    site = site.replace("/var/www/html", str(directory))
    site = re.sub(r"listen (\[::\]:)?443 ", lambda m: f"listen {m.group(1) or ''}{https_port} ",
                  site)
    site = re.sub(r"listen (\[::\]:)?80;", lambda m: f"listen {m.group(1) or ''}{http_port};",
                  site)
    site = site.replace("server 127.0.0.1:8000;", f"server 127.0.0.1:{upstream_port};")
    (directory / "site.conf").write_text(site)
    temp = " ".join(f"{kind}_temp_path {directory}/{kind};"
                    for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    conf = directory / "nginx.conf"
    # As root, nginx would run its workers as nobody, who cannot enter pytest's tmp.
    user = "user root;\n" if os.geteuid() == 0 else ""
    conf.write_text(f"""{user}daemon off;
pid {directory}/nginx.pid;
error_log {directory}/error.log warn;
events {{}}
http {{
    {temp}
    access_log {directory}/default-access.log;
    include {directory}/site.conf;
}}
""")
    return conf


def test_config(directory: Path) -> subprocess.CompletedProcess[str]:
    conf = prepare(directory)
    return subprocess.run(["nginx", "-t", "-c", str(conf), "-p", str(directory)],
                          capture_output=True, text=True, timeout=30)


def start(directory: Path, **ports: int) -> subprocess.Popen:
    conf = prepare(directory, **ports)
    return subprocess.Popen(["nginx", "-c", str(conf), "-p", str(directory)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
