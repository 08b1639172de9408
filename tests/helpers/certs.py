"""Throwaway TLS certificates for test servers: self-signed, or signed by a throwaway CA."""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


@dataclass(frozen=True)
class ServerCert:
    """PEM files of a server certificate and key, and the SHA-256 of the certificate's DER.

    ``ca_cert_path`` is the PEM of the CA that signed it, or None for a self-signed certificate.
    """

    cert_path: Path
    key_path: Path
    sha256: str
    ca_cert_path: Path | None = None


def sha256_fingerprint(der: bytes) -> str:
    """Lowercase hex SHA-256 of a DER certificate (what ``ssl.getpeercert(True)`` returns)."""
    return hashlib.sha256(der).hexdigest()


def _new_key() -> ec.EllipticCurvePrivateKey:
    # P-256 is fast to generate and every TLS stack (and Dovecot) accepts it.
    return ec.generate_private_key(ec.SECP256R1())


def _key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _validity() -> tuple[dt.datetime, dt.datetime]:
    now = dt.datetime.now(dt.UTC)
    return now - dt.timedelta(days=1), now + dt.timedelta(days=30)


def _leaf_builder(
    subject_key: ec.EllipticCurvePrivateKey,
    issuer: x509.Name,
    issuer_key: ec.EllipticCurvePrivateKey,
    hostname: str,
    ip: str,
) -> x509.CertificateBuilder:
    not_before, not_after = _validity()
    public = subject_key.public_key()
    return (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, hostname)]))
        .issuer_name(issuer)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName(hostname), x509.IPAddress(ipaddress.ip_address(ip))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
            critical=False,
        )
    )


def _write(
    directory: Path, name: str, cert: x509.Certificate, key: ec.EllipticCurvePrivateKey
) -> tuple[Path, Path]:
    cert_path = directory / f"{name}.crt.pem"
    key_path = directory / f"{name}.key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(_key_pem(key))
    key_path.chmod(0o600)
    return cert_path, key_path


def make_self_signed(
    directory: Path, *, hostname: str = "localhost", ip: str = "127.0.0.1"
) -> ServerCert:
    """A self-signed server certificate for ``hostname`` and ``ip``, written under ``directory``.

    No client trusts it unless told to (pinning its fingerprint, or passing it as the cafile).
    """
    directory.mkdir(parents=True, exist_ok=True)
    key = _new_key()
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, hostname)])
    cert = _leaf_builder(key, name, key, hostname, ip).sign(key, hashes.SHA256())
    cert_path, key_path = _write(directory, "server", cert, key)
    return ServerCert(
        cert_path, key_path, sha256_fingerprint(cert.public_bytes(serialization.Encoding.DER))
    )


def make_ca_signed(
    directory: Path,
    *,
    hostname: str = "localhost",
    ip: str = "127.0.0.1",
    ca_name: str = "Shopdesk Test CA",
) -> ServerCert:
    """A fresh CA and a server certificate it signed; trust ``ca_cert_path`` to verify it."""
    directory.mkdir(parents=True, exist_ok=True)
    not_before, not_after = _validity()
    ca_key = _new_key()
    ca_subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, ca_name)])
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_subject)
        .issuer_name(ca_subject)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    ca_cert_path, _ca_key_path = _write(directory, "ca", ca_cert, ca_key)

    key = _new_key()
    cert = _leaf_builder(key, ca_subject, ca_key, hostname, ip).sign(ca_key, hashes.SHA256())
    cert_path, key_path = _write(directory, "server", cert, key)
    return ServerCert(
        cert_path,
        key_path,
        sha256_fingerprint(cert.public_bytes(serialization.Encoding.DER)),
        ca_cert_path=ca_cert_path,
    )
