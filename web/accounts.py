"""Staff accounts: argon2 password hashes, a minimum length and a refusal of common passwords."""

from __future__ import annotations

from pathlib import Path

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, has_app_context

from web.models import ROLES, ServiceGrant, StaffUser, db

MIN_LENGTH = 12
_STANDARD = PasswordHasher()
# The tests make and check hundreds of accounts' passwords; argon2's cheapest settings there keep the
# real hashing and checking at a thousandth of the cost. Honoured only by an app with TESTING set.
_CHEAPEST = PasswordHasher.from_parameters(profiles.CHEAPEST)
_COMMON = frozenset(
    line.strip().lower() for line in (Path(__file__).with_name("common-passwords.txt")).read_text().splitlines()
    if line.strip() and not line.startswith("#"))


class AccountError(ValueError):
    """A plain-language reason an account change was refused."""


def check_password(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise AccountError(f"use at least {MIN_LENGTH} characters")
    if password.lower() in _COMMON or len(set(password)) < 4:
        raise AccountError("that password is too common; choose another")


def hash_password(password: str) -> str:
    check_password(password)
    return _hasher().hash(password)


def verify(user: StaffUser | None, password: str) -> bool:
    """Constant work whether or not the account exists, so timing tells nothing."""
    hasher = _hasher()
    stored = user.password_hash if user is not None else _DUMMY[hasher is _CHEAPEST]
    try:
        ok = hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        ok = False
    return ok and user is not None and user.active


def create(email: str, name: str, role: str, password: str) -> StaffUser:
    if role not in ROLES:
        raise AccountError(f"the role must be one of {', '.join(ROLES)}")
    email = email.strip().lower()
    if db.session.query(StaffUser).filter_by(email=email).first() is not None:
        raise AccountError(f"there is already an account for {email}")
    user = StaffUser(email=email, name=name, role=role, password_hash=hash_password(password))
    db.session.add(user)
    db.session.commit()
    return user


def grant(user: StaffUser, service_id: str) -> None:
    if service_id not in user.services:
        user.grants.append(ServiceGrant(service_id=service_id))
        db.session.commit()


def _hasher() -> PasswordHasher:
    cheap = has_app_context() and current_app.testing and current_app.config.get("PASSWORD_HASH") == "cheapest"
    return _CHEAPEST if cheap else _STANDARD


_DUMMY = {cheap: hasher.hash("not-a-real-password-used-for-timing")
          for cheap, hasher in ((False, _STANDARD), (True, _CHEAPEST))}
