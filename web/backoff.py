"""Failed sign-ins make the next try wait, longer each time; a successful one costs nothing.

A fixed "five a minute" limit counted every attempt, so an office of clerks behind one
address locked itself out by signing in, and anyone could lock a named clerk out from
anywhere by typing wrong passwords for them. Here only failures count, and they count for
the account *from that address* (a few tries, then 2, 4, 8... seconds up to a cap) and for
the address as a whole (more tries, as an office shares it). Someone elsewhere typing wrong
passwords slows only their own address. The counts live where the rate limits do (memory,
or Redis with ``INTAKE_RATELIMIT_STORAGE_URI``), so every web host sees the same waits.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app
from limits.storage import storage_from_string


@dataclass(frozen=True)
class Rule:
    """``free`` failures within ``window`` seconds, then a wait that doubles up to ``cap``."""

    prefix: str
    free: int
    window: int
    cap: int


RULES = (Rule("pair", free=5, window=15 * 60, cap=15 * 60), Rule("address", free=20, window=60 * 60, cap=15 * 60))
_BASE_SECONDS = 2


_log = logging.getLogger(__name__)


def _keys(email: str, address: str) -> list[tuple[Rule, str]]:
    """Under the rate limits' own key prefix (``INTAKE_RATELIMIT_KEY_PREFIX``), so two offices'
    deployments sharing one Redis never count each other's failures."""
    parts = {"pair": f"{email}|{address}", "address": address}
    namespace = current_app.config.get("RATELIMIT_KEY_PREFIX") or "intake"
    return [(rule, f"{namespace}/sign-in/{rule.prefix}/{parts[rule.prefix]}") for rule in RULES]


class _WithFallback:
    """The shared store, and this process's own memory while the shared one cannot be reached:
    a Redis restart slows no sign-in down to a 500, and wrong passwords still count here."""

    def __init__(self, shared: Any) -> None:
        self.shared, self.local = shared, storage_from_string("memory://")

    def __getattr__(self, name: str) -> Any:
        def call(*args: Any) -> Any:
            try:
                return getattr(self.shared, name)(*args)
            except Exception as exc:  # the shared store is away: count in this process meanwhile
                _log.warning("sign-in counts kept in this process: the shared store failed (%s)",
                             type(exc).__name__)
                return getattr(self.local, name)(*args)
        return call


def _storage() -> Any:
    return current_app.extensions["intake.backoff"]


def enabled() -> bool:
    return bool(current_app.config.get("RATELIMIT_ENABLED", True))


def wait_seconds(email: str, address: str) -> int:
    """How long this address must wait before trying this account again (0: go ahead)."""
    if not enabled():
        return 0
    storage, now = _storage(), time.time()
    waits = [int(storage.get_expiry(f"{key}/lock") - now + 0.999)
             for _rule, key in _keys(email, address) if storage.get(f"{key}/lock")]
    return max([w for w in waits if w > 0], default=0)


def failed(email: str, address: str) -> int:
    """Count one failure; the wait it earns (0 while still within the free tries)."""
    if not enabled():
        return 0
    storage, longest = _storage(), 0
    for rule, key in _keys(email, address):
        count = storage.incr(f"{key}/count", rule.window)
        if count > rule.free:
            wait = min(_BASE_SECONDS * 2 ** (count - rule.free - 1), rule.cap)
            storage.clear(f"{key}/lock")
            storage.incr(f"{key}/lock", wait)
            longest = max(longest, wait)
    return longest


def succeeded(email: str, address: str) -> None:
    """A right password forgets this account's failures from this address."""
    if enabled():
        _rule, pair_key = _keys(email, address)[0]
        _storage().clear(f"{pair_key}/count")
        _storage().clear(f"{pair_key}/lock")


def init_app(app: Flask) -> None:
    """The counts' own storage, from the same setting as the rate limits (``memory://`` or Redis)."""
    app.config.setdefault("RATELIMIT_ENABLED", True)
    shared = storage_from_string(app.config.get("RATELIMIT_STORAGE_URI") or "memory://")
    app.extensions["intake.backoff"] = _WithFallback(shared)
