"""What every request needs: the domain app, who is speaking, their locale and time zone.

`ContextInterceptor` runs before every handler and puts a `RequestContext` into the
request attributes; handlers reach it through `Turn` (skill/conversation/base.py)."""

from __future__ import annotations

import logging
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date

from ask_sdk_core.dispatch_components import AbstractRequestInterceptor
from ask_sdk_core.handler_input import HandlerInput

from domain.app import SmallSteps
from domain.clock import local_date
from domain.errors import NotEnrolled
from domain.opening import Opening
from domain.person import Person
from skill.conversation.identity import Identity, IdentityHasher, identify
from skill.devices.timezones import LOCALE_ZONES, TimeZoneCache, device_time_zone
from skill.speech import DEFAULT_LOCALE, Speech, speech_for

log = logging.getLogger(__name__)

CTX = "small_steps_ctx"
# Set when a turn ends in the catch-all apology (handlers/errors.py): the edge then
# releases the request's claim in the reply ledger instead of keeping the reply.
TURN_FAILED: ContextVar[bool] = ContextVar("small_steps_turn_failed", default=False)


@dataclass
class Services:
    """Long-lived parts shared by every request."""

    store: Opening
    identity: IdentityHasher
    zones: TimeZoneCache = field(default_factory=TimeZoneCache)

    @property
    def app(self) -> SmallSteps:
        """The domain app; StoreUnavailable while the store cannot be used yet."""
        return self.store.app


class NoIdentity(Exception):
    """The request names neither a person nor a user."""


class RequestContext:
    def __init__(self, handler_input: HandlerInput, services: Services):
        self.handler_input = handler_input
        self.services = services
        self.app = services.app
        envelope = handler_input.request_envelope
        self.locale: str = getattr(envelope.request, "locale", None) or DEFAULT_LOCALE
        self.speech: Speech = speech_for(self.locale)
        self.identity: Identity | None = identify(envelope, services.identity)
        self._profile: Person | None = None
        self._known: Person | None | bool = False  # False: not read yet this turn

    @property
    def person(self) -> str:
        if self.identity is None:
            raise NoIdentity("the request carries no user id")
        return self.identity.key

    def profile(self) -> Person:
        """The person's profile, enrolling them first if needed, with their locale and
        the device's time zone brought up to date."""
        if self._profile is not None:
            return self._profile
        device_zone = device_time_zone(self.handler_input, self.services.zones)
        account = self.identity.account
        profile = self.known_profile()
        if profile is None:
            zone = device_zone or LOCALE_ZONES.get(self.locale, "UTC")
            self.app.enrol(self.person, self.locale, zone, account)
            profile = self.app.profile(self.person)
            self.is_new = True
        else:
            self.is_new = False
            if (profile.locale != self.locale or (device_zone and device_zone != profile.time_zone)
                    or (account and profile.account is None)):  # linked on a later turn
                self.app.enrol(self.person, self.locale, device_zone or profile.time_zone, account)
                profile = self.app.profile(self.person)
        self._profile = profile
        return profile

    def known_profile(self) -> Person | None:
        """The person's profile if they are enrolled, never enrolling them (the guard
        asks this of whoever speaks): read once a turn, and shared with `profile()`."""
        if self._profile is not None:
            return self._profile
        if self._known is False:
            try:
                self._known = self.app.profile(self.person)
            except NotEnrolled:
                self._known = None
        return self._known  # type: ignore[return-value]

    def today(self) -> date:
        return local_date(self.app.clock.now(), self.profile().time_zone)


class ContextInterceptor(AbstractRequestInterceptor):
    def __init__(self, services: Services):
        self.services = services

    def process(self, handler_input: HandlerInput) -> None:
        from skill.conversation.base import bind_speaker, well_formed  # (base imports this)

        ctx = RequestContext(handler_input, self.services)
        handler_input.attributes_manager.request_attributes[CTX] = ctx
        if handler_input.request_envelope.session is not None:
            well_formed(handler_input.attributes_manager.session_attributes)
        bind_speaker(handler_input, ctx.identity)
