"""The delivery layer for messages to citizens: email to a real SMTP server on 127.0.0.1
(tests/smtpserver.py), text messages to a local server that plays GOV.UK Notify's API."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from tests import smtpserver
from web import mail, sms
from web.config import ConfigError

needs_aiosmtpd = pytest.mark.skipif(smtpserver.available() is not None, reason=str(smtpserver.available()))

SENDER = "Intake <noreply@intake.example.org>"
CITIZEN = "maria@example.org"


def _message(**changes: Any) -> mail.Message:
    fields: dict[str, Any] = {
        "to": CITIZEN, "subject": "Su cita está confirmada", "text": "Hola María,\n\nTraiga su pasaporte.\n",
        "html": "<p>Hola María,</p><p>Traiga su <strong>pasaporte</strong>.</p>", "lang": "es",
        "reference": "NC-7Q4K-2M9X",
    }
    return mail.Message(**{**fields, **changes})


def _transport(url: str, **config: Any) -> mail.SmtpTransport:
    made = mail.transport({"SMTP_URL": url, "MAIL_FROM": SENDER, "SMTP_SECONDS": 5, **config})
    assert made is not None
    return made


def _failure(transport: mail.SmtpTransport, message: mail.Message | None = None) -> mail.DeliveryError:
    with pytest.raises(mail.DeliveryError) as caught:
        transport.send(message or _message())
    return caught.value


@contextlib.contextmanager
def _silent_server(*, hang_up: bool) -> Iterator[int]:
    """A TCP port whose server never greets (the client times out) or hangs up at once."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(4)
        stop = threading.Event()
        held: list[socket.socket] = []

        def serve() -> None:
            listener.settimeout(0.05)
            while not stop.is_set():
                with contextlib.suppress(TimeoutError):
                    connection, _peer = listener.accept()
                    if hang_up:
                        connection.close()
                    else:
                        held.append(connection)

        thread = threading.Thread(target=serve, daemon=True)
        thread.start()
        try:
            yield int(listener.getsockname()[1])
        finally:
            stop.set()
            thread.join()
            for connection in held:
                connection.close()


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# Email

def test_a_message_arrives_with_both_parts_the_right_headers_and_language(smtp_server: Any) -> None:
    message_id = _transport(smtp_server.url).send(_message())

    [received] = smtp_server.wait_for(1, seconds=5)
    assert received["Message-ID"] == message_id
    assert message_id.endswith("@intake.example.org>")
    assert received["From"] == SENDER
    assert received["To"] == CITIZEN
    assert received["Subject"] == "Su cita está confirmada"
    assert received["Content-Language"] == "es"
    assert received["Auto-Submitted"] == "auto-generated"
    assert received["X-Intake-Reference"] == "NC-7Q4K-2M9X"
    assert received["Date"].datetime.tzinfo is not None
    assert received.get_content_type() == "multipart/alternative"
    assert received.get_body(("plain",)).get_content() == "Hola María,\n\nTraiga su pasaporte.\n"
    assert "<strong>pasaporte</strong>" in received.get_body(("html",)).get_content()
    [delivery] = smtp_server.deliveries
    assert delivery.mail_from == "noreply@intake.example.org"
    assert delivery.rcpt_tos == (CITIZEN,)


def test_each_message_gets_its_own_message_id_and_no_reference_header_without_a_reference(smtp_server: Any) -> None:
    transport = _transport(smtp_server.url)
    first = transport.send(_message(lang="en", reference=""))
    second = transport.send(_message(lang="en", reference=""))

    received = smtp_server.wait_for(2, seconds=5)
    assert first != second
    assert [m["Content-Language"] for m in received] == ["en", "en"]
    assert all(m["X-Intake-Reference"] is None for m in received)


@needs_aiosmtpd
def test_starttls_is_used_when_the_server_offers_it() -> None:
    with smtpserver.running(tls="starttls") as server:
        _transport(server.url, SMTP_CA_FILE=server.ca_file).send(_message())
        server.wait_for(1, seconds=5)
        assert server.deliveries[0].encrypted


@needs_aiosmtpd
def test_a_server_certificate_that_does_not_verify_is_a_temporary_tls_failure() -> None:
    with smtpserver.running(tls="starttls") as server:
        error = _failure(_transport(server.url))
        assert (error.code, error.temporary) == ("mail.tls", True)
        assert server.messages == []


@needs_aiosmtpd
def test_smtps_speaks_tls_from_the_first_byte_and_logs_in() -> None:
    with smtpserver.running(tls="implicit", auth=("intake", "s3cret")) as server:
        assert server.url.startswith("smtps://")
        _transport(server.url, SMTP_CA_FILE=server.ca_file).send(_message())
        server.wait_for(1, seconds=5)
        assert server.deliveries[0].encrypted
        assert server.deliveries[0].user == "intake"


@needs_aiosmtpd
def test_auth_logs_in_after_starttls_with_a_percent_encoded_user_and_password() -> None:
    user, password = "mail@office.example.org", "p@ss:w rd/%?#"
    with smtpserver.running(tls="starttls", auth=(user, password)) as server:
        assert "p%40ss%3Aw" in server.url
        _transport(server.url, SMTP_CA_FILE=server.ca_file).send(_message())
        server.wait_for(1, seconds=5)
        assert server.deliveries[0].user == user


@needs_aiosmtpd
def test_a_wrong_password_is_a_temporary_auth_failure_that_never_shows_the_password() -> None:
    with smtpserver.running(tls="starttls", auth=("intake", "right")) as server:
        url = server.url.replace(":right@", ":wrong-horse@")
        error = _failure(_transport(url, SMTP_CA_FILE=server.ca_file))
        assert (error.code, error.temporary, error.status) == ("mail.auth", True, 535)
        assert "wrong-horse" not in str(error)
        assert server.messages == []


@needs_aiosmtpd
def test_a_password_is_never_sent_to_a_server_without_tls() -> None:
    with smtpserver.running(auth=("intake", "s3cret")) as server:
        error = _failure(_transport(server.url))
        assert (error.code, error.temporary) == ("mail.insecure", True)
        assert server.messages == []


def test_the_password_never_shows_in_the_settings_or_the_transport() -> None:
    transport = _transport("smtps://intake:hunter2@mail.example.org")
    assert "hunter2" not in repr(transport.settings)
    assert "hunter2" not in repr(transport)


@pytest.mark.parametrize(("permanent", "status"), [(True, 550), (False, 451)])
def test_a_recipient_refused_with_550_is_permanent_and_with_451_temporary(
        smtp_server: Any, permanent: bool, status: int) -> None:
    smtp_server.refuse(CITIZEN, permanent=permanent)

    error = _failure(_transport(smtp_server.url))

    assert (error.code, error.status, error.temporary) == ("mail.refused", status, not permanent)
    assert str(status) in str(error)
    assert smtp_server.messages == []


def test_an_unreachable_server_is_temporary() -> None:
    error = _failure(_transport(f"smtp://127.0.0.1:{_closed_port()}"))
    assert (error.code, error.temporary) == ("mail.unreachable", True)


def test_a_server_that_never_answers_is_a_temporary_timeout() -> None:
    with _silent_server(hang_up=False) as port:
        started = time.monotonic()
        error = _failure(_transport(f"smtp://127.0.0.1:{port}", SMTP_SECONDS=0.3))
    assert (error.code, error.temporary) == ("mail.timeout", True)
    assert time.monotonic() - started < 3


def test_a_server_that_hangs_up_is_temporary() -> None:
    with _silent_server(hang_up=True) as port:
        error = _failure(_transport(f"smtp://127.0.0.1:{port}"))
    assert (error.code, error.temporary) == ("mail.disconnected", True)


@pytest.mark.parametrize("address", ["", "maria", "maria@example.org, ana@example.org",
                                     "maria@example.org\r\nBcc: everyone@example.org"])
def test_an_address_that_is_not_one_address_is_refused_for_good_before_connecting(address: str) -> None:
    error = _failure(_transport(f"smtp://127.0.0.1:{_closed_port()}"), _message(to=address))
    assert (error.code, error.temporary) == ("mail.bad_address", False)


def test_a_header_that_would_inject_another_is_refused_for_good() -> None:
    error = _failure(_transport(f"smtp://127.0.0.1:{_closed_port()}"),
                     _message(subject="Hola\r\nBcc: everyone@example.org"))
    assert (error.code, error.temporary) == ("mail.bad_message", False)


@pytest.mark.parametrize(("url", "expected"), [
    ("smtp://mail.example.org", mail.SmtpSettings("mail.example.org", 25, implicit_tls=False)),
    ("smtps://mail.example.org", mail.SmtpSettings("mail.example.org", 465, implicit_tls=True)),
    ("smtp://mail.example.org:587/", mail.SmtpSettings("mail.example.org", 587, implicit_tls=False)),
    ("SMTP://[::1]:2525", mail.SmtpSettings("::1", 2525, implicit_tls=False)),
    ("smtps://apikey:p%40ss%3Aw%20rd%2F@smtp.example.org:2465",
     mail.SmtpSettings("smtp.example.org", 2465, implicit_tls=True, user="apikey", password="p@ss:w rd/")),
    ("smtp://user%40office.example.org@relay.example.org",
     mail.SmtpSettings("relay.example.org", 25, implicit_tls=False, user="user@office.example.org")),
])
def test_parse_smtp_url_accepts_smtp_and_smtps_urls(url: str, expected: mail.SmtpSettings) -> None:
    assert mail.parse_smtp_url(url) == expected


@pytest.mark.parametrize(("url", "words"), [
    ("http://mail.example.org", "must start with smtp:// or smtps://, not http://"),
    ("mail.example.org:25", "must start with smtp:// or smtps://"),
    ("", "must start with smtp:// or smtps://"),
    ("smtp://", "names no host"),
    ("smtp://user:secret@:25", "names no host"),
    ("smtp://mail.example.org:smtp", "port that is not a number from 1 to 65535: 'smtp'"),
    ("smtp://user:secret@mail.example.org:70000", "port that is not a number from 1 to 65535: '70000'"),
    ("smtp://mail.example.org:0", "port 0"),
    ("smtp://mail.example.org/mailbox", "no path, query or fragment"),
    ("smtp://mail.example.org?tls=1", "no path, query or fragment"),
    ("smtp://:secret@mail.example.org", "a password without a user name"),
    ("smtp://intake:secr%C3%A9t@mail.example.org", "non-ASCII characters"),
])
def test_parse_smtp_url_refuses_anything_else_with_a_clear_message(url: str, words: str) -> None:
    with pytest.raises(ConfigError) as caught:
        mail.parse_smtp_url(url)
    assert str(caught.value).startswith("INTAKE_SMTP_URL ")
    assert words in str(caught.value)
    assert "secret" not in str(caught.value)


@pytest.mark.parametrize("unset", [None, "", "  "])
def test_transport_is_none_when_smtp_url_is_unset(unset: str | None) -> None:
    assert mail.transport({"SMTP_URL": unset, "MAIL_FROM": ""}) is None
    assert mail.transport({}) is None


@pytest.mark.parametrize(("config", "words"), [
    ({"MAIL_FROM": ""}, "INTAKE_MAIL_FROM must name the sender"),
    ({"MAIL_FROM": "noreply"}, "INTAKE_MAIL_FROM must be one address"),
    ({"MAIL_FROM": "a@example.org, b@example.org"}, "INTAKE_MAIL_FROM must be one address"),
    ({"MAIL_FROM": SENDER, "SMTP_SECONDS": "soon"}, "INTAKE_SMTP_SECONDS must be a number"),
    ({"MAIL_FROM": SENDER, "SMTP_SECONDS": 0}, "INTAKE_SMTP_SECONDS must be more than 0"),
    ({"MAIL_FROM": SENDER, "SMTP_CA_FILE": "/nonexistent/ca.pem"}, "INTAKE_SMTP_CA_FILE cannot be read"),
])
def test_transport_refuses_a_server_without_a_usable_sender_or_settings(config: dict[str, Any], words: str) -> None:
    with pytest.raises(ConfigError, match=words):
        mail.transport({"SMTP_URL": "smtp://mail.example.org", **config})


def test_retry_delay_grows_and_ends_after_six_tries() -> None:
    delays = [mail.retry_delay(attempt) for attempt in range(1, 7)]
    assert delays[:5] == [60, 300, 1800, 7200, 21600]
    assert delays[5] is None
    assert mail.retry_delay(100) is None
    assert mail.ATTEMPTS == 6
    with pytest.raises(ValueError):
        mail.retry_delay(0)


# Text messages

SERVICE_ID = "26785a09-ab16-4eb0-8407-a37497a57506"
SECRET = "3d844edf-8d35-48ac-975b-e847b4f122b0"
API_KEY = f"intake_test-{SERVICE_ID}-{SECRET}"
TEMPLATE_ID = "f33517ff-2a88-4f6e-b855-c550268ce08a"

_NOTIFY_ERRORS = {
    400: ("BadRequestError", "Can't send to this recipient using a team-only API key"),
    403: ("AuthError", "Invalid token: API key not found"),
    429: ("RateLimitError", "Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds"),
    500: ("Exception", "Internal server error"),
}


@dataclass
class FakeNotify:
    """What the fake Notify saw: each request's JSON body and token claims; ``status`` forces
    the next answers (201 when None)."""

    url: str = ""
    bodies: list[dict[str, Any]] = field(default_factory=list)
    claims: list[dict[str, Any]] = field(default_factory=list)
    status: int | None = None


def _notify_handler(fake: FakeNotify) -> type[BaseHTTPRequestHandler]:
    import jwt

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: the tests read what the server recorded instead."""

        def _answer(self, status: int, body: dict[str, Any]) -> None:
            payload = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def _error(self, status: int) -> None:
            error, message = _NOTIFY_ERRORS[status]
            self._answer(status, {"status_code": status, "errors": [{"error": error, "message": message}]})

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))))
            if self.path != "/v2/notifications/sms":
                self._answer(404, {"status_code": 404, "errors": [{"error": "NotFound", "message": "no such page"}]})
                return
            scheme, _space, token = self.headers.get("Authorization", "").partition(" ")
            try:
                claims = jwt.decode(token, SECRET, algorithms=["HS256"], options={"require": ["iss", "iat"]})
            except jwt.InvalidTokenError:
                self._error(403)
                return
            if scheme != "Bearer" or claims["iss"] != SERVICE_ID or abs(time.time() - claims["iat"]) > 30:
                self._error(403)
                return
            fake.bodies.append(body)
            fake.claims.append(claims)
            if fake.status is not None:
                self._error(fake.status)
                return
            self._answer(201, {"id": str(uuid.uuid4()), "reference": None, "uri": f"{fake.url}/v2/notifications/x",
                               "template": {"id": body["template_id"], "version": 1, "uri": ""},
                               "content": {"body": body["personalisation"]["body"], "from_number": "GOVUK"}})

    return Handler


@pytest.fixture
def notify() -> Iterator[FakeNotify]:
    """A local server playing Notify's POST /v2/notifications/sms, in a thread of the test."""
    pytest.importorskip("jwt", reason="PyJWT comes with notifications-python-client")
    fake = FakeNotify()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _notify_handler(fake))
    server.daemon_threads = True
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _sms(base_url: str, api_key: str = API_KEY) -> sms.NotifySms:
    made = sms.transport({"SMS_PROVIDER": "notify", "NOTIFY_API_KEY": api_key, "NOTIFY_BASE_URL": base_url,
                          "NOTIFY_SMS_TEMPLATE_ID": TEMPLATE_ID})
    assert made is not None
    return made


def test_the_sms_goes_to_notify_with_a_valid_token_and_the_text_as_the_template_body(notify: FakeNotify) -> None:
    text = "Su cita es el 12 de marzo a las 10:00. Referencia NC-7Q4K-2M9X."

    notification_id = _sms(notify.url).send("+447900900123", text)

    assert uuid.UUID(notification_id)
    assert notify.bodies == [{"phone_number": "+447900900123", "template_id": TEMPLATE_ID,
                              "personalisation": {"body": text}}]
    assert notify.claims[0]["iss"] == SERVICE_ID


def test_a_wrong_api_key_is_refused_for_good(notify: FakeNotify) -> None:
    wrong = f"intake_test-{SERVICE_ID}-{uuid.uuid4()}"
    with pytest.raises(mail.DeliveryError) as caught:
        _sms(notify.url, wrong).send("+447900900123", "Hola")
    assert (caught.value.code, caught.value.status, caught.value.temporary) == ("sms.refused", 403, False)
    assert notify.bodies == []


@pytest.mark.parametrize(("status", "code", "temporary"), [
    (400, "sms.refused", False), (403, "sms.refused", False), (429, "sms.throttled", True),
    (500, "sms.unavailable", True),
])
def test_notify_errors_map_to_permanent_and_temporary_failures(
        notify: FakeNotify, status: int, code: str, temporary: bool) -> None:
    notify.status = status
    with pytest.raises(mail.DeliveryError) as caught:
        _sms(notify.url).send("+447900900123", "Hola")
    assert (caught.value.code, caught.value.status, caught.value.temporary) == (code, status, temporary)
    assert _NOTIFY_ERRORS[status][1] in caught.value.detail


def test_an_unreachable_notify_is_temporary() -> None:
    with pytest.raises(mail.DeliveryError) as caught:
        _sms(f"http://127.0.0.1:{_closed_port()}").send("+447900900123", "Hola")
    assert (caught.value.code, caught.value.temporary) == ("sms.unreachable", True)


@pytest.mark.parametrize("provider", [None, "", " "])
def test_sms_transport_is_none_unless_the_provider_is_notify(provider: str | None) -> None:
    assert sms.transport({"SMS_PROVIDER": provider, "NOTIFY_API_KEY": "", "NOTIFY_SMS_TEMPLATE_ID": ""}) is None
    assert sms.transport({}) is None


@pytest.mark.parametrize(("config", "words"), [
    ({"SMS_PROVIDER": "twilio"}, "INTAKE_SMS_PROVIDER must be 'notify' or empty"),
    ({"NOTIFY_API_KEY": ""}, "INTAKE_NOTIFY_API_KEY must be set"),
    ({"NOTIFY_API_KEY": "not-a-key"}, "INTAKE_NOTIFY_API_KEY must be a Notify API key"),
    ({"NOTIFY_SMS_TEMPLATE_ID": ""}, "INTAKE_NOTIFY_SMS_TEMPLATE_ID must name the SMS template"),
    ({"NOTIFY_SMS_TEMPLATE_ID": "welcome"}, "INTAKE_NOTIFY_SMS_TEMPLATE_ID must be a template id"),
    ({"NOTIFY_BASE_URL": "api.example.org"}, "INTAKE_NOTIFY_BASE_URL must be an http:// or https:// address"),
])
def test_sms_transport_refuses_a_missing_key_or_template(config: dict[str, Any], words: str) -> None:
    complete = {"SMS_PROVIDER": "notify", "NOTIFY_API_KEY": API_KEY, "NOTIFY_SMS_TEMPLATE_ID": TEMPLATE_ID}
    with pytest.raises(ConfigError, match=words):
        sms.transport({**complete, **config})


def test_the_api_key_never_shows_in_the_transport() -> None:
    assert SECRET not in repr(_sms("https://api.example.org"))
