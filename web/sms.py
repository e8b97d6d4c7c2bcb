"""Text messages to citizens through GOV.UK Notify (or any service with its API): transport only.

On with ``INTAKE_SMS_PROVIDER=notify``, ``INTAKE_NOTIFY_API_KEY`` and
``INTAKE_NOTIFY_SMS_TEMPLATE_ID``. Notify sends only text made from a template, so a deployment
makes one SMS template whose whole content is ``((body))`` and the app fills it with the message.
``INTAKE_NOTIFY_BASE_URL`` points at another server speaking the same API.

Failures are :class:`web.mail.DeliveryError`: Notify's 400 (a number it cannot text, a bad
request) and 403 (a wrong key) are for good, its 429 (over the rate limit), its 5xx and a
server that cannot be reached are worth another try.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import requests
from notifications_python_client import notifications
from notifications_python_client.errors import APIError, HTTPError

from web.config import ConfigError
from web.mail import DeliveryError

PROVIDER = "notify"
DEFAULT_BASE_URL = "https://api.notifications.service.gov.uk"
DEFAULT_SECONDS = 10.0
_UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
# A Notify API key: {key name}-{service id}-{secret}, both of the last two UUIDs.
_API_KEY = re.compile(rf".+-({_UUID})-({_UUID})")

# The official client has no type hints: as Any here, the rest of this module stays checked.
_Client: Any = notifications.NotificationsAPIClient

_log = logging.getLogger(__name__)


class NotifySms:
    """Sends through Notify's official client. Its client object is not thread-safe, so each
    message makes its own (a few microseconds): one transport can serve every thread."""

    def __init__(self, api_key: str, template_id: str, *, base_url: str = DEFAULT_BASE_URL,
                 timeout: float = DEFAULT_SECONDS) -> None:
        self._api_key = api_key
        self.template_id = template_id
        self.base_url = base_url
        self.timeout = timeout

    def __repr__(self) -> str:
        return f"NotifySms({self.base_url}, template {self.template_id})"

    def send(self, phone: str, text: str) -> str:
        """Send ``text`` to ``phone``; Notify's id for the notification. Raises DeliveryError."""
        if not phone.strip():
            raise DeliveryError("sms.bad_number", "no phone number", temporary=False)
        client = _Client(self._api_key, base_url=self.base_url, timeout=self.timeout)
        try:
            answer = client.send_sms_notification(phone_number=phone.strip(), template_id=self.template_id,
                                                  personalisation={"body": text})
        except HTTPError as exc:
            raise _from_http(exc) from exc
        except APIError as exc:
            # A 2xx without JSON: the text may well have gone, and trying again could send it twice.
            raise DeliveryError("sms.bad_answer", f"Notify's answer cannot be read: {exc}", temporary=False) from exc
        finally:
            client.request_session.close()
        notification_id = answer.get("id") if isinstance(answer, dict) else None
        if not notification_id:
            raise DeliveryError("sms.bad_answer", "Notify's answer has no notification id", temporary=False)
        _log.info("text message %s sent through %s", notification_id, self.base_url)
        return str(notification_id)


def _from_http(exc: HTTPError) -> DeliveryError:
    cause = exc.__cause__
    if exc.response is None:
        if isinstance(cause, requests.Timeout):
            return DeliveryError("sms.timeout", "Notify did not answer in time", temporary=True)
        return DeliveryError("sms.unreachable", f"cannot reach Notify: {type(cause).__name__}", temporary=True)
    status = exc.status_code
    detail = f"{status} {str(exc.message)[:200]}"
    if status == 429:
        return DeliveryError("sms.throttled", detail, temporary=True, status=status)
    if status >= 500:
        return DeliveryError("sms.unavailable", detail, temporary=True, status=status)
    return DeliveryError("sms.refused", detail, temporary=False, status=status)


def transport(config: Mapping[str, Any]) -> NotifySms | None:
    """The app's text-message transport, or None unless ``SMS_PROVIDER`` is ``notify``; a key or
    template missing stops the app at start rather than every message later."""
    provider = str(config.get("SMS_PROVIDER") or "").strip().lower()
    if not provider:
        return None
    if provider != PROVIDER:
        raise ConfigError(f"INTAKE_SMS_PROVIDER must be {PROVIDER!r} or empty, not {provider!r}")
    api_key = str(config.get("NOTIFY_API_KEY") or "").strip()
    if not api_key:
        raise ConfigError("INTAKE_NOTIFY_API_KEY must be set when INTAKE_SMS_PROVIDER=notify")
    if not _API_KEY.fullmatch(api_key):
        raise ConfigError("INTAKE_NOTIFY_API_KEY must be a Notify API key: {name}-{service id}-{secret}")
    template_id = str(config.get("NOTIFY_SMS_TEMPLATE_ID") or "").strip()
    if not template_id:
        raise ConfigError("INTAKE_NOTIFY_SMS_TEMPLATE_ID must name the SMS template whose content is ((body))")
    if not re.fullmatch(_UUID, template_id):
        raise ConfigError(f"INTAKE_NOTIFY_SMS_TEMPLATE_ID must be a template id (a UUID), not {template_id!r}")
    base_url = str(config.get("NOTIFY_BASE_URL") or DEFAULT_BASE_URL).strip().rstrip("/")
    parts = urlsplit(base_url)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ConfigError(f"INTAKE_NOTIFY_BASE_URL must be an http:// or https:// address, not {base_url!r}")
    return NotifySms(api_key, template_id, base_url=base_url)
