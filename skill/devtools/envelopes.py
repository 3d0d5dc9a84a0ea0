"""Alexa request envelopes, as a device would send them: for the local console and tests.

Slots carry entity resolution the way Alexa sends it: ER_SUCCESS_MATCH with the slot
value's id when the words matched a value or synonym, ER_SUCCESS_NO_MATCH otherwise."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from html import unescape
from typing import Any


@dataclass
class Device:
    """One speaker and who is talking to it."""

    application_id: str
    user_id: str = "amzn1.ask.account.LOCAL-CONSOLE"
    person_id: str | None = None
    device_id: str = "amzn1.ask.device.LOCAL-CONSOLE"
    locale: str = "en-US"
    api_endpoint: str | None = None
    api_access_token: str | None = "local-token"
    session_id: str | None = None
    attributes: dict[str, Any] = field(default_factory=dict)
    # How sure Alexa is of the voice (context.System.person.authenticationConfidenceLevel)
    person_confidence: int | None = None

    # -- sessions -----------------------------------------------------------------------

    def new_session(self) -> None:
        self.session_id = f"amzn1.echo-api.session.{uuid.uuid4()}"
        self.attributes = {}

    def after(self, response: dict[str, Any]) -> None:
        """Carry the session on (or close it) as Alexa does after a response."""
        body = response.get("response") or {}
        if body.get("shouldEndSession", True) is not False and not _keeps_session(body):
            self.session_id, self.attributes = None, {}
        else:
            self.attributes = response.get("sessionAttributes") or {}

    # -- requests -----------------------------------------------------------------------

    def envelope(self, request: dict[str, Any], now: datetime | None = None) -> dict[str, Any]:
        new = self.session_id is None
        if new:
            self.new_session()
        now = now or datetime.now(timezone.utc)
        request = {"requestId": f"amzn1.echo-api.request.{uuid.uuid4()}",
                   "timestamp": now.strftime("%Y-%m-%dT%H:%M:%SZ"), "locale": self.locale,
                   **request}
        system: dict[str, Any] = {
            "application": {"applicationId": self.application_id},
            "user": {"userId": self.user_id},
            "device": {"deviceId": self.device_id, "supportedInterfaces": {}},
        }
        if self.person_id:
            system["person"] = {"personId": self.person_id}
            if self.person_confidence is not None:
                system["person"]["authenticationConfidenceLevel"] = {
                    "level": self.person_confidence}
        if self.api_endpoint:
            system["apiEndpoint"] = self.api_endpoint
            system["apiAccessToken"] = self.api_access_token
        return {
            "version": "1.0",
            "session": {"new": new, "sessionId": self.session_id,
                        "application": {"applicationId": self.application_id},
                        "attributes": self.attributes, "user": {"userId": self.user_id}},
            "context": {"System": system},
            "request": request,
        }

    def launch(self, now: datetime | None = None) -> dict[str, Any]:
        self.session_id = None
        return self.envelope({"type": "LaunchRequest"}, now)

    def intent(self, name: str, slots: dict[str, SlotValue | str | None] | None = None,
               now: datetime | None = None, confirmation: str = "NONE") -> dict[str, Any]:
        rendered = {}
        for slot, value in (slots or {}).items():
            if not isinstance(value, SlotValue):
                value = SlotValue(value)
            rendered[slot] = value.render(slot)
        return self.envelope({"type": "IntentRequest", "dialogState": "STARTED",
                              "intent": {"name": name, "confirmationStatus": confirmation,
                                         "slots": rendered}}, now)

    def session_ended(self, reason: str = "USER_INITIATED",
                      now: datetime | None = None) -> dict[str, Any]:
        envelope = self.envelope({"type": "SessionEndedRequest", "reason": reason}, now)
        self.session_id, self.attributes = None, {}
        return envelope


@dataclass(frozen=True)
class SlotValue:
    """What was heard, and the custom slot value id it resolved to (if any)."""

    heard: str | None
    value_id: str | None = None
    slot_type: str | None = None  # set for custom types: resolution is reported

    def render(self, name: str) -> dict[str, Any]:
        slot: dict[str, Any] = {"name": name, "confirmationStatus": "NONE"}
        if self.heard is None:
            return slot
        slot["value"] = self.heard
        if self.slot_type is not None:
            authority = f"amzn1.er-authority.echo-sdk.local.{self.slot_type}"
            if self.value_id is not None:
                resolution = {"authority": authority, "status": {"code": "ER_SUCCESS_MATCH"},
                              "values": [{"value": {"name": self.heard, "id": self.value_id}}]}
            else:
                resolution = {"authority": authority, "status": {"code": "ER_SUCCESS_NO_MATCH"}}
            slot["resolutions"] = {"resolutionsPerAuthority": [resolution]}
        return slot


def _keeps_session(body: dict[str, Any]) -> bool:
    """A dialog directive keeps the session open even without a reprompt."""
    return any(str(d.get("type", "")).startswith("Dialog.") for d in body.get("directives") or [])


def spoken_text(response: dict[str, Any]) -> str:
    """The plain words of a response's speech."""
    speech = (response.get("response") or {}).get("outputSpeech") or {}
    text = speech.get("ssml") or speech.get("text") or ""
    return unescape(re.sub(r"<[^>]+>", "", text)).strip()
