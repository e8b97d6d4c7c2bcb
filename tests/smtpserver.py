"""A real SMTP server for the tests: aiosmtpd on a free port of 127.0.0.1, in a thread of the test
process. It is a real TCP server, so the app's own SMTP client talks to it as to any mail
server, and a Celery worker in another process can reach it too.

Every message delivered is kept, parsed by the email package. A recipient can be answered with
550 (refused for good) or 451 (try later); the server can ask for AUTH (LOGIN and PLAIN, over
TLS only, as real servers do), offer STARTTLS, or speak TLS from the first byte, with a
certificate from a small authority made at start with ``cryptography`` (``ca_file`` holds it
for the client's SMTP_CA_FILE).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import email
import email.policy
import functools
import importlib.util
import ipaddress
import socket
import ssl
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote

HOST = "127.0.0.1"
Tls = Literal["none", "starttls", "implicit"]
ANSWERS = {True: "550 5.1.1 No such mailbox here", False: "451 4.3.0 Mailbox busy, try again later"}


def available() -> str | None:
    """Why the server cannot run here, or None when it can."""
    if importlib.util.find_spec("aiosmtpd") is None:
        return "aiosmtpd is not installed (pip install -e '.[test]' brings it)"
    return None


@dataclass(frozen=True)
class Delivery:
    """One message as the server took it: the envelope beside the parsed message."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    message: EmailMessage
    encrypted: bool
    user: str | None


@dataclass
class SmtpServer:
    """The running server: ``url`` for SMTP_URL, what it received, and switches for its answers."""

    url: str
    host: str
    port: int
    ca_file: str | None = None
    messages: list[EmailMessage] = field(default_factory=list)
    deliveries: list[Delivery] = field(default_factory=list)
    refusals: dict[str, str] = field(default_factory=dict)
    arrived: threading.Condition = field(default_factory=threading.Condition, repr=False)

    def refuse(self, address: str, *, permanent: bool = True) -> None:
        """Answer RCPT TO for this address with 550 (permanent) or 451 (temporary)."""
        self.refusals[address.lower()] = ANSWERS[permanent]

    def wait_for(self, count: int, seconds: float = 30) -> list[EmailMessage]:
        """The messages once at least ``count`` have arrived (a worker elsewhere may still be
        sending); fails the test after ``seconds`` with how many did."""
        with self.arrived:
            if not self.arrived.wait_for(lambda: len(self.messages) >= count, timeout=seconds):
                raise AssertionError(f"{len(self.messages)} of {count} messages arrived within {seconds:g} s")
            return list(self.messages)

    def clear(self) -> None:
        with self.arrived:
            self.messages.clear()
            self.deliveries.clear()
        self.refusals.clear()


class _Handler:
    """aiosmtpd's hooks: refuse the recipients the test named, keep every message."""

    def __init__(self, server: SmtpServer, *, auth: bool) -> None:
        self.server = server
        self.auth = auth

    async def handle_MAIL(self, server: Any, session: Any, envelope: Any, address: str,
                          mail_options: list[str]) -> str:
        if self.auth and not session.authenticated:
            return "530 5.7.0 Authentication required"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: list[str]) -> str:
        answer = self.server.refusals.get(address.lower())
        if answer:
            return answer
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw = envelope.original_content or envelope.content
        # As a mailbox would store it, lines ending in \n: the parts then read as they were written.
        message = email.message_from_bytes(raw.replace(b"\r\n", b"\n"), policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        login = session.auth_data.login.decode() if session.authenticated and session.auth_data else None
        delivery = Delivery(mail_from=envelope.mail_from, rcpt_tos=tuple(envelope.rcpt_tos), message=message,
                            encrypted=server.transport.get_extra_info("ssl_object") is not None, user=login)
        with self.server.arrived:
            self.server.messages.append(message)
            self.server.deliveries.append(delivery)
            self.server.arrived.notify_all()
        return "250 Message accepted for delivery"


class _Authenticator:
    """Accepts one user name and password, as LOGIN or PLAIN."""

    def __init__(self, user: str, password: str) -> None:
        self.user, self.password = user.encode(), password.encode()

    def __call__(self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> Any:
        from aiosmtpd.smtp import AuthResult, LoginPassword

        ok = (mechanism in {"LOGIN", "PLAIN"} and isinstance(auth_data, LoginPassword)
              and auth_data.login == self.user and auth_data.password == self.password)
        # handled=False: aiosmtpd then answers a failure with 535 itself.
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)


@functools.cache
def _certificates() -> tuple[bytes, bytes, bytes]:
    """A test authority's certificate, and a server certificate it signed for 127.0.0.1 and
    localhost with its key (PEM). Made once per test process: EC keys take a millisecond."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = dt.datetime.now(dt.UTC)
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "intake test authority")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=2))
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                       data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                       crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    leaf = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                        x509.IPAddress(ipaddress.ip_address(HOST))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    return (ca.public_bytes(serialization.Encoding.PEM), leaf.public_bytes(serialization.Encoding.PEM), key_pem)


def _server_context(folder: Path) -> tuple[ssl.SSLContext, str]:
    """The server's TLS context and the file of the authority a client must trust."""
    ca_pem, cert_pem, key_pem = _certificates()
    (folder / "ca.pem").write_bytes(ca_pem)
    (folder / "server.pem").write_bytes(cert_pem + key_pem)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(folder / "server.pem")
    return context, str(folder / "ca.pem")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def running(*, tls: Tls = "none", auth: tuple[str, str] | None = None) -> Iterator[SmtpServer]:
    """A server answering on 127.0.0.1 until the block ends. ``tls="starttls"`` offers STARTTLS,
    ``"implicit"`` speaks TLS at once (an smtps:// URL); ``auth=(user, password)`` asks for
    them (and puts them in ``url``). A port taken between choosing and binding it is retried."""
    from aiosmtpd.controller import Controller

    with tempfile.TemporaryDirectory(prefix="smtp-") as folder:
        context, ca_file = _server_context(Path(folder)) if tls != "none" else (None, None)
        userinfo = f"{quote(auth[0], safe='')}:{quote(auth[1], safe='')}@" if auth else ""
        scheme = "smtps" if tls == "implicit" else "smtp"
        options: dict[str, Any] = {"server_hostname": "localhost", "ready_timeout": 5}
        if tls == "implicit":
            options["ssl_context"] = context
        elif tls == "starttls":
            options["tls_context"] = context
        if auth:
            # aiosmtpd counts only STARTTLS as TLS; speaking TLS from the start is TLS too.
            options.update(authenticator=_Authenticator(*auth), auth_require_tls=tls == "starttls")
        for attempt in range(3):
            port = _free_port()
            server = SmtpServer(url=f"{scheme}://{userinfo}{HOST}:{port}", host=HOST, port=port, ca_file=ca_file)
            controller = Controller(_Handler(server, auth=auth is not None), hostname=HOST, port=port, **options)
            try:
                controller.start()
            except OSError:
                controller.stop(no_assert=True)
                controller.loop.close()
                if attempt == 2:
                    raise
                time.sleep(0.1)
                continue
            try:
                yield server
            finally:
                controller.stop()
            return
