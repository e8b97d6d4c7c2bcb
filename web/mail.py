"""Email to citizens over SMTP: the transport only, not when a message goes or what it says.

``INTAKE_SMTP_URL`` names the server: ``smtp://[user:pass@]host[:port]`` (port 25 unless given)
upgrades to TLS with STARTTLS whenever the server offers it, ``smtps://...`` (port 465) speaks
TLS from the first byte. Certificates are checked against the system's authorities, or against
``INTAKE_SMTP_CA_FILE`` for a relay with a certificate of its own. A password is only ever sent
over TLS: a server that does not offer STARTTLS gets no credentials, so a connection stripped
of its STARTTLS offer on the way cannot read them.

Every failure is a :class:`DeliveryError` with a stable code and whether to try again: the
server's 4xx answers, a dropped connection, a refused connection or a timeout may pass; a 5xx
for the recipient or the message, or an address that cannot be written, will not.
:func:`retry_delay` spaces the tries out over about nine hours.
"""

from __future__ import annotations

import email.utils
import logging
import re
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any
from urllib.parse import unquote, urlsplit

from web.config import ConfigError

SCHEMES = {"smtp": 25, "smtps": 465}
DEFAULT_SECONDS = 10.0
# Seconds to wait after each failed try before the next: six tries over about nine hours, long
# enough to outlast a mail server's restart or a night's maintenance, short enough that a
# message about a visit still arrives before it.
RETRY_DELAYS = (60, 300, 1800, 7200, 21600)
ATTEMPTS = len(RETRY_DELAYS) + 1
REFERENCE_HEADER = "X-Intake-Reference"
# A language tag as Content-Language takes it (RFC 5646, simplified): "en", "es", "es-419".
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Message:
    """One email to one citizen, in both parts: mail programs show the one they prefer."""

    to: str
    subject: str
    text: str
    html: str
    lang: str
    reference: str = ""
    """Sent as ``X-Intake-Reference`` so a bounce can be matched to its case; never a secret."""


class DeliveryError(Exception):
    """A message that did not go. ``code`` is stable for programs ("mail.refused",
    "mail.unreachable", "sms.refused"...); ``temporary`` says whether trying again later may
    work, so a caller never retries what the server refused for good, nor gives up on what a
    restart would fix. ``status`` is the server's SMTP or HTTP code, when it gave one."""

    def __init__(self, code: str, detail: str, *, temporary: bool, status: int | None = None) -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail
        self.temporary = temporary
        self.status = status


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to connect, from ``INTAKE_SMTP_URL``; the password never shows in a repr."""

    host: str
    port: int
    implicit_tls: bool
    user: str = ""
    password: str = field(default="", repr=False)


def _config_error(detail: str) -> ConfigError:
    return ConfigError(f"INTAKE_SMTP_URL {detail}")


def parse_smtp_url(url: str) -> SmtpSettings:
    """``smtp://[user:pass@]host[:port]`` or ``smtps://...``, user and password percent-decoded.

    Anything else stops the app at start with what is wrong, rather than at the first message
    hours later. The messages never repeat the URL, which may hold a password.
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise _config_error("must start with smtp:// or smtps://" + (f", not {scheme}://" if scheme else ""))
    if not parts.hostname:
        raise _config_error("names no host: write smtp://host:port")
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise _config_error("takes only [user:password@]host[:port], with no path, query or fragment")
    try:
        port = parts.port
    except ValueError:
        port_text = parts.netloc.rpartition("@")[2].rpartition(":")[2]
        raise _config_error(f"has a port that is not a number from 1 to 65535: {port_text!r}") from None
    if port == 0:
        raise _config_error("has port 0: give a port from 1 to 65535")
    user = unquote(parts.username or "")
    password = unquote(parts.password or "")
    if password and not user:
        raise _config_error("has a password without a user name")
    if not (user + password).isascii():
        raise _config_error("has a user or password with non-ASCII characters, which SMTP AUTH cannot carry here")
    return SmtpSettings(host=parts.hostname, port=port or SCHEMES[scheme], implicit_tls=scheme == "smtps",
                        user=user, password=password)


def _one_address(value: str) -> str | None:
    """The bare address of a single ``name <user@domain>`` or ``user@domain``, or None."""
    if "\r" in value or "\n" in value:
        return None
    found = email.utils.getaddresses([value])
    if len(found) != 1:
        return None
    address = found[0][1]
    local, _at, domain = address.rpartition("@")
    return address if local and domain and " " not in address else None


def _seconds(config: Mapping[str, Any]) -> float:
    value = config.get("SMTP_SECONDS")
    try:
        seconds = float(DEFAULT_SECONDS if value in (None, "") else value)
    except (TypeError, ValueError):
        raise ConfigError(f"INTAKE_SMTP_SECONDS must be a number of seconds, not {value!r}") from None
    if seconds <= 0:
        raise ConfigError(f"INTAKE_SMTP_SECONDS must be more than 0, not {value!r}")
    return seconds


def transport(config: Mapping[str, Any]) -> SmtpTransport | None:
    """The app's email transport, or None when ``SMTP_URL`` is unset: no email is sent then.

    ``MAIL_FROM`` is required with a server, so a deployment learns at start, not from a bounce,
    that its messages have no sender.
    """
    url = str(config.get("SMTP_URL") or "").strip()
    if not url:
        return None
    settings = parse_smtp_url(url)
    sender = str(config.get("MAIL_FROM") or "").strip()
    if not sender:
        raise ConfigError("INTAKE_MAIL_FROM must name the sender (Service <noreply@example.org>) "
                          "when INTAKE_SMTP_URL is set")
    if _one_address(sender) is None:
        raise ConfigError(f"INTAKE_MAIL_FROM must be one address, like Service <noreply@example.org>, not {sender!r}")
    ca_file = str(config.get("SMTP_CA_FILE") or "").strip()
    try:
        context = ssl.create_default_context(cafile=ca_file or None)
    except (OSError, ssl.SSLError) as exc:
        raise ConfigError(f"INTAKE_SMTP_CA_FILE cannot be read as PEM certificates: {exc}") from exc
    return SmtpTransport(settings, sender, timeout=_seconds(config), context=context)


def retry_delay(attempt: int) -> int | None:
    """Seconds to wait after try number ``attempt`` (1 for the first) before the next one, or
    None once all :data:`ATTEMPTS` tries are spent. Each wait is several times the last, so a
    short outage costs a minute and a long one is not hammered."""
    if attempt < 1:
        raise ValueError(f"attempts are counted from 1, not {attempt}")
    return RETRY_DELAYS[attempt - 1] if attempt <= len(RETRY_DELAYS) else None


def _answer(exc: smtplib.SMTPResponseException | tuple[int, bytes]) -> tuple[int, str]:
    code, text = (exc.smtp_code, exc.smtp_error) if isinstance(exc, smtplib.SMTPResponseException) else exc
    shown = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return int(code), " ".join(shown.split())[:200]


def _from_answer(code: str, exc: smtplib.SMTPResponseException | tuple[int, bytes]) -> DeliveryError:
    """4xx is the server's "not now", anything else its "never" (RFC 5321, 4.2.1)."""
    status, text = _answer(exc)
    return DeliveryError(code, f"{status} {text}", temporary=400 <= status < 500, status=status)


class SmtpTransport:
    """Sends each message over a connection of its own: a mail server drops idle connections,
    and one message's failure then never touches the next. Safe to share between threads."""

    def __init__(self, settings: SmtpSettings, sender: str, *, timeout: float = DEFAULT_SECONDS,
                 context: ssl.SSLContext | None = None) -> None:
        self.settings = settings
        self.sender = sender
        self.timeout = timeout
        self.context = context or ssl.create_default_context()
        self._domain = (_one_address(sender) or "localhost").rpartition("@")[2]

    def __repr__(self) -> str:
        scheme = "smtps" if self.settings.implicit_tls else "smtp"
        return f"SmtpTransport({scheme}://{self.settings.host}:{self.settings.port})"

    def compose(self, message: Message) -> EmailMessage:
        """The email as it will go, with a new Message-ID; refuses what no server should get."""
        if _one_address(message.to) is None:
            raise DeliveryError("mail.bad_address", "the recipient is not one email address", temporary=False)
        if not _LANGUAGE.fullmatch(message.lang):
            raise DeliveryError("mail.bad_message", f"{message.lang!r} is not a language tag", temporary=False)
        mail = EmailMessage()
        try:
            mail["From"] = self.sender
            mail["To"] = message.to
            mail["Subject"] = message.subject
            mail["Date"] = email.utils.formatdate(usegmt=True)
            # The sender's own domain, not the machine's name: getfqdn() can wait seconds on DNS.
            mail["Message-ID"] = email.utils.make_msgid(domain=self._domain)
            # RFC 3834: no out-of-office replies or other automatic answers to an automatic message.
            mail["Auto-Submitted"] = "auto-generated"
            mail["X-Auto-Response-Suppress"] = "All"
            if message.reference:
                mail[REFERENCE_HEADER] = message.reference
            mail.set_content(message.text)
            mail.add_alternative(message.html, subtype="html")
            # After the parts: making the message multipart moves every Content-* header set
            # before into the first part, where mail programs would not look for the language.
            mail["Content-Language"] = message.lang
        except (ValueError, TypeError) as exc:
            raise DeliveryError("mail.bad_message", f"the message cannot be written: {exc}", temporary=False) from exc
        return mail

    def _connect(self) -> smtplib.SMTP:
        settings = self.settings
        client: smtplib.SMTP
        if settings.implicit_tls:
            client = smtplib.SMTP_SSL(settings.host, settings.port, timeout=self.timeout, context=self.context)
        else:
            client = smtplib.SMTP(settings.host, settings.port, timeout=self.timeout)
        try:
            client.ehlo()
            encrypted = settings.implicit_tls
            if not encrypted and client.has_extn("starttls"):
                client.starttls(context=self.context)
                client.ehlo()
                encrypted = True
            if settings.user:
                if not encrypted:
                    raise DeliveryError("mail.insecure", "the server offers no STARTTLS: the password is not sent "
                                        "in the clear", temporary=True)
                client.login(settings.user, settings.password)
        except BaseException:
            client.close()
            raise
        return client

    def send(self, message: Message) -> str:
        """Send one message; the Message-ID it was given. Raises :class:`DeliveryError`."""
        mail = self.compose(message)
        message_id = str(mail["Message-ID"])
        try:
            client = self._connect()
            try:
                refused = client.send_message(mail)
            finally:
                try:
                    client.quit()
                except (smtplib.SMTPException, OSError):
                    client.close()
        except DeliveryError:
            raise
        except smtplib.SMTPRecipientsRefused as exc:
            raise _from_answer("mail.refused", next(iter(exc.recipients.values()))) from exc
        except smtplib.SMTPSenderRefused as exc:
            raise _from_answer("mail.sender_refused", exc) from exc
        except smtplib.SMTPAuthenticationError as exc:
            # The account is wrong, not the message: once it is put right, the messages waiting go.
            status, text = _answer(exc)
            raise DeliveryError("mail.auth", f"{status} {text}", temporary=True, status=status) from exc
        except smtplib.SMTPDataError as exc:
            raise _from_answer("mail.rejected", exc) from exc
        except smtplib.SMTPNotSupportedError as exc:
            if "SMTPUTF8" in str(exc):
                raise DeliveryError("mail.bad_address", "the server cannot take an address with non-ASCII "
                                    "letters", temporary=False) from exc
            raise DeliveryError("mail.unsupported", str(exc), temporary=True) from exc
        except smtplib.SMTPServerDisconnected as exc:
            # smtplib turns a read that timed out into "disconnected"; the timeout is the news.
            if isinstance(exc.__context__, TimeoutError):
                raise DeliveryError("mail.timeout", f"no answer within {self.timeout:g} s", temporary=True) from exc
            raise DeliveryError("mail.disconnected", f"the server closed the connection: {exc}",
                                temporary=True) from exc
        except smtplib.SMTPResponseException as exc:
            raise _from_answer("mail.error", exc) from exc
        except smtplib.SMTPException as exc:
            raise DeliveryError("mail.error", str(exc), temporary=True) from exc
        except TimeoutError as exc:  # socket.timeout too, its alias
            raise DeliveryError("mail.timeout", f"no answer within {self.timeout:g} s", temporary=True) from exc
        except ssl.SSLError as exc:
            # A certificate that does not verify, or no TLS version in common: the server's
            # set-up (or ours) must change, and the messages can wait for it.
            raise DeliveryError("mail.tls", f"TLS with {self.settings.host} failed: {exc}", temporary=True) from exc
        except OSError as exc:
            raise DeliveryError("mail.unreachable", f"cannot reach {self.settings.host}:{self.settings.port}: "
                                f"{exc.strerror or exc}", temporary=True) from exc
        if refused:
            raise _from_answer("mail.refused", next(iter(refused.values())))
        _log.info("email %s sent through %s:%s%s", message_id, self.settings.host, self.settings.port,
                  f" for {message.reference}" if message.reference else "")
        return message_id
