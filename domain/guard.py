"""The household guard: a 4-digit PIN before mood history and summaries.

Only a salted PBKDF2-SHA256 hash is kept ("salt$digest"), never the PIN."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from typing import Any

from domain.errors import InvalidChoice

PIN = re.compile(r"\d{4}")


def pin_hash(pin: Any) -> str:
    """The stored form of a new PIN; InvalidChoice unless it is four digits."""
    if not isinstance(pin, str) or not PIN.fullmatch(pin):
        raise InvalidChoice("a PIN is four digits")
    salt = secrets.token_hex(8)
    return f"{salt}${_digest(salt, pin)}"


def pin_matches(stored: str | None, pin: Any) -> bool:
    if stored is None or not isinstance(pin, str):
        return False
    salt, digest = stored.split("$", 1)
    return hmac.compare_digest(digest, _digest(salt, pin))


def _digest(salt: str, pin: str) -> str:
    return hashlib.pbkdf2_hmac("sha256", pin.encode(), bytes.fromhex(salt), 100_000).hex()
