"""Who is speaking: the voice profile when Alexa recognises one, else the account.

Stored person keys are keyed hashes (HMAC-SHA256 with the server's identity key), never
raw Alexa ids, so a copy of the store alone cannot be joined with Alexa accounts."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass


@dataclass(frozen=True)
class Identity:
    key: str  # the stored person key
    recognised_voice: bool  # a voice profile (personId), not just the account


class IdentityHasher:
    def __init__(self, secret: bytes):
        if not secret:
            raise ValueError("the identity key is empty")
        self._secret = secret

    def key(self, kind: str, alexa_id: str) -> str:
        digest = hmac.new(self._secret, f"{kind}:{alexa_id}".encode(), hashlib.sha256)
        return digest.hexdigest()

    def identify(self, person_id: str | None, user_id: str | None) -> Identity | None:
        if person_id:
            return Identity(self.key("person", person_id), True)
        if user_id:
            return Identity(self.key("user", user_id), False)
        return None
