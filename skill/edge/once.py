"""Each Alexa request acted on once: a retried delivery gets the first one's reply.

Alexa retries a request whose response did not arrive in time, with the same request
id. `OnceSkill` claims the request id (as a keyed hash, never the raw id) in the
store's reply ledger (domain/store/replies.py) before any handler runs: a first delivery is
handled and its response kept; a repeat is answered with the kept response and stores
nothing; a repeat that arrives while the first is still being handled waits for it
(StillHandling after a few seconds: the web layer answers 503 and Alexa retries).

A turn that ended in the catch-all apology releases its claim instead of keeping it,
so a retry gets a real chance. If the store cannot be reached to claim, the person
hears the apology at once (the handlers would only meet the same outage, each after
another connection timeout), and nothing is stored.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from ask_sdk_core.skill import CustomSkill, SkillConfiguration
from ask_sdk_model import RequestEnvelope, Response, ResponseEnvelope
from ask_sdk_model.ui import SsmlOutputSpeech

from domain.person import person_id
from domain.store.replies import StillHandling
from skill.conversation.base import PENDING
from skill.conversation.context import TURN_FAILED, Services
from skill.conversation.identity import identify
from skill.speech import speech_for

log = logging.getLogger(__name__)

# Asked outside any dialog, these only read (and at most enrol, which is idempotent):
# a repeat changes nothing, so they skip the ledger's two round trips.
READ_ONLY_INTENTS = frozenset({"GetSmallStepIntent"})

__all__ = ["OnceSkill", "StillHandling"]


def _only_reads(envelope: RequestEnvelope) -> bool:
    intent = getattr(envelope.request, "intent", None)
    attributes = (envelope.session.attributes if envelope.session is not None else None) or {}
    return (intent is not None and intent.name in READ_ONLY_INTENTS
            and not attributes.get(PENDING))


def apology(envelope: RequestEnvelope) -> ResponseEnvelope:
    """The catch-all's words (skill/conversation/handlers/errors.py), for when no
    handler can run."""
    said = speech_for(getattr(envelope.request, "locale", None)).turn("error")
    return ResponseEnvelope(version="1.0", session_attributes={}, response=Response(
        output_speech=SsmlOutputSpeech(ssml=said.ssml), should_end_session=True))


class OnceSkill(CustomSkill):
    def __init__(self, skill_configuration: SkillConfiguration, services: Services):
        super().__init__(skill_configuration)
        self.services = services

    def invoke(self, request_envelope: RequestEnvelope, context: Any) -> ResponseEnvelope:
        request_id = getattr(request_envelope.request, "request_id", None)
        if not request_id or _only_reads(request_envelope):
            return super().invoke(request_envelope, context)
        replies = self.services.app.replies
        key = self.services.identity.key("request", request_id)
        try:
            who = identify(request_envelope, self.services.identity)
            claim = replies.claim(key, person_id(who.key).hex if who else None)
        except StillHandling:
            raise
        except Exception as e:  # noqa: BLE001 - the store is down: say sorry, store nothing
            log.warning("store unavailable (%s); answered with the apology", type(e).__name__,
                        extra={"error": type(e).__name__})
            return apology(request_envelope)
        if not claim.fresh:
            log.info("repeated delivery answered with its first reply")
            return self.serializer.deserialize(payload=claim.reply, obj_type=ResponseEnvelope)
        token = TURN_FAILED.set(False)
        try:
            response = super().invoke(request_envelope, context)
            failed = TURN_FAILED.get()
        except BaseException:
            self._settle(replies.release, key)
            raise
        finally:
            TURN_FAILED.reset(token)
        if failed:
            self._settle(replies.release, key)
        else:
            reply = json.dumps(self.serializer.serialize(response), separators=(",", ":"))
            self._settle(replies.keep, key, reply)
        return response

    @staticmethod
    def _settle(action: Any, *args: Any) -> None:
        try:
            action(*args)
        except Exception as e:  # noqa: BLE001 - the reply is already made; say so and go on
            log.warning("reply ledger not updated (%s)", type(e).__name__)
