"""Who is speaking: the voice profile when Alexa recognises one, else the account.

Stored person keys are keyed hashes (HMAC-SHA256 with the server's identity key), never
raw Alexa ids, so a copy of the store alone cannot be joined with Alexa accounts."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from ask_sdk_model import RequestEnvelope


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


def identify(envelope: RequestEnvelope, hasher: IdentityHasher) -> Identity | None:
    """Who is speaking: the voice profile if Alexa recognised one, else the account
    (from the context, or the session for older envelopes)."""
    system = envelope.context.system if envelope.context else None
    person = system.person if system is not None else None
    user = system.user if system is not None else None
    if user is None and envelope.session is not None:
        user = envelope.session.user
    return hasher.identify(person.person_id if person else None, user.user_id if user else None)
