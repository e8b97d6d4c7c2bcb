"""Rate limits per address (memory by default, Redis when ``INTAKE_RATELIMIT_STORAGE_URI`` says)."""

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

limiter = Limiter(key_func=get_remote_address)
