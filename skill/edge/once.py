"""Each Alexa request acted on once: a retried delivery gets the first one's reply.

Alexa retries a request whose response did not arrive in time, with the same request
id. `OnceSkill` handles each turn in a unit of work (domain/unit.py): what the turn
changes is recorded at its end together with its reply, under the request id and the
person (a keyed hash, never the raw ids), in one transaction; a reply is given back only
to the same person. So a repeat that arrives after
the first was recorded is answered with the kept reply and stores nothing; a repeat
handled at the same time as the first loses at the commit, on the key, records
nothing, and answers with the first's reply; one that arrives while a first turn
that had to record early (a query after a change) is still being handled waits for
its reply (StillHandling after a few seconds: the web layer answers 503 and Alexa
retries). A turn that changed nothing keeps nothing: a repeat answers the same.

A turn that ended in the catch-all apology records nothing (and releases a key it
recorded early), so a retry gets a real chance. A turn that lost a race with another
writer of the same week is acted again on fresh state. If the store cannot be reached,
the person hears the apology, and nothing is stored.
"""

from __future__ import annotations

import copy
import json
import logging
import random
import time
from typing import Any

from ask_sdk_core.response_helper import ResponseFactory
from ask_sdk_core.skill import CustomSkill, SkillConfiguration
from ask_sdk_model import RequestEnvelope, ResponseEnvelope
from ask_sdk_model.ui import SimpleCard
from eventsourcing.persistence import IntegrityError

from domain.person import person_id
from domain.store.replies import StillHandling
from domain.unit import DuplicateDelivery
from skill.conversation.base import CRISIS, PENDING
from skill.conversation.context import TURN_FAILED, Services
from skill.conversation.identity import identify
from skill.conversation.safety import is_crisis_language
from skill.conversation.states import DialogState
from skill.model import I
from skill.speech import speech_for

log = logging.getLogger(__name__)

CONFLICT_DEADLINE = 10.0  # seconds a turn keeps acting again after losing a race

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
    handler can run: built as the handlers' replies are, so the speech is SSML under
    <speak> (Alexa rejects anything else, and the person would hear its generic error)."""
    said = speech_for(getattr(envelope.request, "locale", None)).turn("error")
    response = ResponseFactory().speak(said.ssml).set_should_end_session(True).response
    return ResponseEnvelope(version="1.0", session_attributes={}, response=response)


LEAVING = frozenset({I.STOP, I.CANCEL, I.NO, I.NAVIGATE_HOME})


def without_store(envelope: RequestEnvelope) -> ResponseEnvelope:
    """The reply when the store cannot be used: the apology, except where crisis words
    were said (the crisis intent, or crisis language in any slot) or the crisis line was
    given earlier in the session: the line never waits on the store. It is said from the
    request alone (the locale's line; no device settings, nothing recorded)."""
    request = envelope.request
    intent = getattr(request, "intent", None)
    attributes = (envelope.session.attributes if envelope.session is not None else None) or {}
    pending = attributes.get(PENDING)
    in_crisis = isinstance(pending, dict) and pending.get("what") == DialogState.CRISIS
    said_now = intent is not None and (intent.name == I.CRISIS or any(
        is_crisis_language(slot.value) for slot in (intent.slots or {}).values()
        if slot is not None and isinstance(slot.value, str)))
    if not (said_now or in_crisis):
        return apology(envelope)
    speech = speech_for(getattr(request, "locale", None))
    factory = ResponseFactory()
    if not said_now and intent is not None and intent.name in LEAVING:
        key, fields = speech.crisis("crisis_leave")
        said = speech.turn(key, **fields)
        factory.speak(said.ssml).set_should_end_session(True)
        return ResponseEnvelope(version="1.0", session_attributes={}, response=factory.response)
    key, fields = speech.crisis("crisis" if said_now else "crisis_stay")
    said = speech.turn(key, **fields)
    factory.speak(said.ssml).ask(said.reprompt_ssml).set_card(SimpleCard(
        title=speech.phrase("crisis_card_title"), content=speech.crisis_card()))
    return ResponseEnvelope(version="1.0", response=factory.response, session_attributes={
        CRISIS: True, PENDING: {"what": DialogState.CRISIS.value}})


class OnceSkill(CustomSkill):
    def __init__(self, skill_configuration: SkillConfiguration, services: Services):
        super().__init__(skill_configuration)
        self.services = services

    def invoke(self, request_envelope: RequestEnvelope, context: Any) -> ResponseEnvelope:
        if not self.services.store.ready():  # why is logged once (domain/opening.py)
            return without_store(request_envelope)
        request_id = getattr(request_envelope.request, "request_id", None)
        if not request_id or _only_reads(request_envelope):
            return super().invoke(request_envelope, context)
        app = self.services.app
        try:
            who = identify(request_envelope, self.services.identity)
            person = person_id(who.key).hex if who else None
            # Whose it is is part of the key: a request id another person's request
            # carried (by chance or on purpose) never finds their reply.
            key = self.services.identity.key("request", f"{person}:{request_id}")
            earlier = app.replies.earlier(key, person)
        except StillHandling:
            raise
        except Exception as e:  # noqa: BLE001 - the store is down: say sorry, store nothing
            log.warning("store unavailable (%s); answered without it", type(e).__name__,
                        extra={"error": type(e).__name__})
            return without_store(request_envelope)
        if earlier is not None:
            return self._repeat(earlier)
        session = request_envelope.session
        # Handlers change the session's attributes in place: each attempt starts anew.
        attributes = copy.deepcopy(session.attributes) if session is not None else None
        deadline = time.monotonic() + CONFLICT_DEADLINE
        attempt = 0
        while True:
            if attempt and session is not None:
                session.attributes = copy.deepcopy(attributes)
            try:
                return self._once(request_envelope, context, key, person)
            except DuplicateDelivery:
                earlier = app.replies.earlier(key, person)
                if earlier is not None:
                    return self._repeat(earlier)
                # the other delivery's turn was dropped meanwhile: act on it after all
            except IntegrityError:
                # Another writer changed the same week first: nothing of this turn was
                # recorded, so act again on fresh state.
                if time.monotonic() >= deadline:
                    raise
                time.sleep(random.uniform(0, min(0.05, 0.002 * 2 ** min(attempt, 10))))
            attempt += 1

    def _once(self, envelope: RequestEnvelope, context: Any, key: str,
              person: str | None) -> ResponseEnvelope:
        """Handle the turn in a unit of work, and record what it changed with its
        reply, once (domain/unit.py)."""
        app = self.services.app
        token = TURN_FAILED.set(False)
        try:
            with app.unit(key, person) as unit:
                try:
                    response = super().invoke(envelope, context)
                except BaseException:
                    self._settle(app.discard, unit)
                    raise
                if TURN_FAILED.get():
                    self._settle(app.discard, unit)
                    return response
                reply = json.dumps(self.serializer.serialize(response), separators=(",", ":"))
                try:
                    app.commit(unit, reply)
                except (DuplicateDelivery, IntegrityError):
                    raise
                except Exception as e:  # noqa: BLE001 - nothing of the turn is stored
                    log.warning("the turn could not be recorded (%s)", type(e).__name__,
                                extra={"error": type(e).__name__})
                    self._settle(app.discard, unit)
                    # A crisis answer never waits on the store; any other answer would
                    # say something was done that was not.
                    return response if unit.must_answer else apology(envelope)
                return response
        finally:
            TURN_FAILED.reset(token)

    def _repeat(self, reply: str) -> ResponseEnvelope:
        log.info("repeated delivery answered with its first reply")
        return self.serializer.deserialize(payload=reply, obj_type=ResponseEnvelope)

    @staticmethod
    def _settle(action: Any, *args: Any) -> None:
        try:
            action(*args)
        except Exception as e:  # noqa: BLE001 - the reply is already made; say so and go on
            log.warning("reply ledger not updated (%s)", type(e).__name__)
