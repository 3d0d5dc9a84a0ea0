"""Who is speaking: the voice profile when Alexa recognises one, else the account.

Stored person keys are keyed hashes (HMAC-SHA256 with the server's identity key), never
raw Alexa ids, so a copy of the store alone cannot be joined with Alexa accounts.

A recognised voice is recognition, not authentication. Where the request says how sure
Alexa is of the speaker (`context.System.person.authenticationConfidenceLevel.level`),
a level below RECOGNISED_LEVEL is taken as an unrecognised voice: the account speaks.
Where it says nothing, recognition is taken as it is (docs/privacy-and-safety.md)."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import Any

from ask_sdk_model import RequestEnvelope

# Alexa's level for a voice it recognised (400: confirmed with the profile's PIN too).
RECOGNISED_LEVEL = 300


@dataclass(frozen=True)
class Identity:
    key: str  # the stored person key
    recognised_voice: bool  # a voice profile (personId), not just the account
    account: str | None = None  # the account's person key (itself, when unrecognised)


class IdentityHasher:
    def __init__(self, secret: bytes):
        if not secret:
            raise ValueError("the identity key is empty")
        self._secret = secret

    def key(self, kind: str, alexa_id: str) -> str:
        digest = hmac.new(self._secret, f"{kind}:{alexa_id}".encode(), hashlib.sha256)
        return digest.hexdigest()

    def identify(self, person_id: str | None, user_id: str | None) -> Identity | None:
        account = self.key("user", user_id) if user_id else None
        if person_id:
            return Identity(self.key("person", person_id), True, account)
        if account:
            return Identity(account, False, account)
        return None


def confident(person: Any) -> bool:
    """Whether Alexa is sure enough of a recognised speaker: no level given is taken as
    sure (recognition as it is); a level below RECOGNISED_LEVEL, or one that cannot be
    read, is not. The SDK's model keeps the field as it came, under its JSON name."""
    given = getattr(person, "authenticationConfidenceLevel", None)
    if given is None:
        return True
    level = given.get("level") if isinstance(given, dict) else None
    return isinstance(level, int) and not isinstance(level, bool) and level >= RECOGNISED_LEVEL


def identify(envelope: RequestEnvelope, hasher: IdentityHasher) -> Identity | None:
    """Who is speaking: the voice profile if Alexa recognised one (and is sure of it),
    else the account (from the context, or the session for older envelopes)."""
    system = envelope.context.system if envelope.context else None
    person = system.person if system is not None else None
    user = system.user if system is not None else None
    if user is None and envelope.session is not None:
        user = envelope.session.user
    voice = person.person_id if person is not None and confident(person) else None
    return hasher.identify(voice, user.user_id if user else None)
