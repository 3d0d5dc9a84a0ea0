"""The web service: Flask, serving the skill through flask-ask-sdk.

`POST /alexa` takes an Alexa request envelope. Before the SDK sees it, the body is
checked at the edge: at most 256 KB, UTF-8 JSON, the shape of a request envelope; then
flask-ask-sdk runs our verifier (skill/edge/verification.py: certificate chain, signature,
timestamp, skill id) and dispatches to the conversation's handlers. Anything refused is a 4xx with a
short JSON reason and stores nothing. `GET /healthz` says whether the store answers,
where the views are, and whether the projector is alive.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Mapping
from typing import Any

from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_core.skill_builder import CustomSkillBuilder
from ask_sdk_model import RequestEnvelope
from flask import Flask, Response, g, jsonify, request
from werkzeug.exceptions import HTTPException

from domain.app import SmallSteps
from domain.clock import Clock
from domain.opening import Opening
from skill.conversation.context import ContextInterceptor, Services
from skill.conversation.handlers import exception_handlers, request_handlers
from skill.conversation.identity import IdentityHasher
from skill.devices.timezones import AlexaApiClient
from skill.edge import sdk_compat
from skill.edge.logs import REQUEST_ID, REQUEST_ID_HEADER, request_id_from
from skill.edge.once import OnceSkill, StillHandling
from skill.edge.verification import AlexaRequestVerifier, sdk_verifier
from skill.settings import MAX_BODY_BYTES, Settings, installed_version

log = logging.getLogger(__name__)

SERVICES = "small_steps_services"


class BadEnvelope(ValueError):
    """The body is not an Alexa request envelope."""


# Requests Alexa always sends in a session (skill events and the like come without one).
IN_A_SESSION = frozenset({"LaunchRequest", "IntentRequest", "SessionEndedRequest"})


def _need(data: Any, key: str, kind: type | tuple[type, ...], where: str) -> Any:
    value = data.get(key) if isinstance(data, dict) else None
    if not isinstance(value, kind):
        raise BadEnvelope(f"{where}{key} is missing or has the wrong type")
    return value


def read_envelope(body: bytes) -> dict[str, Any]:
    """The envelope's JSON if it has the shape every request needs, else BadEnvelope."""
    try:
        envelope = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise BadEnvelope("the body is not UTF-8 JSON") from None
    if not isinstance(envelope, dict):
        raise BadEnvelope("the body is not a JSON object")
    _need(envelope, "version", str, "")
    req = _need(envelope, "request", dict, "")
    for key in ("type", "requestId", "timestamp"):
        _need(req, key, str, "request.")
    if "locale" in req and not isinstance(req["locale"], str):
        raise BadEnvelope("request.locale has the wrong type")
    system = _need(_need(envelope, "context", dict, ""), "System", dict, "context.")
    _need(_need(system, "application", dict, "context.System."), "applicationId", str,
          "context.System.application.")
    user = _need(_need(system, "user", dict, "context.System."), "userId", str,
                 "context.System.user.")
    if not user.strip():
        raise BadEnvelope("context.System.user.userId is empty")
    session = envelope.get("session")
    if session is None and req["type"] in IN_A_SESSION:
        raise BadEnvelope(f"a {req['type']} comes in a session, and this one has none")
    if session is not None:
        if not isinstance(session, dict):
            raise BadEnvelope("session has the wrong type")
        attributes = session.get("attributes")
        if attributes is not None and not isinstance(attributes, dict):
            raise BadEnvelope("session.attributes has the wrong type")
    if req["type"] == "IntentRequest":
        intent = _need(req, "intent", dict, "request.")
        _need(intent, "name", str, "request.intent.")
        slots = intent.get("slots")
        if slots is not None:
            if not isinstance(slots, dict):
                raise BadEnvelope("request.intent.slots has the wrong type")
            for slot in slots.values():
                if not isinstance(slot, dict) or not isinstance(slot.get("value", ""), (str, type(None))):
                    raise BadEnvelope("a slot has the wrong shape")
    return envelope


def _what(envelope: dict[str, Any]) -> dict[str, str]:
    """What the access line may say about a request: its type and intent name only."""
    req = envelope["request"]
    what = {"request_type": req["type"]}
    if isinstance(req.get("intent"), dict):
        what["intent"] = req["intent"]["name"]
    return what


def _error(status: int, message: str) -> Response:
    response = jsonify({"error": message})
    response.status_code = status
    return response


class _VerificationLogFilter(logging.Filter):
    """flask-ask-sdk logs a refused request with its traceback; one line is enough."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.getMessage() == "Request verification failed" and record.exc_info:
            record.msg = f"request refused: {record.exc_info[1]}"
            record.args = ()
            record.exc_info = None
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


class _OnceReadSerializer(DefaultSerializer):
    """The SDK's serializer, reading a request envelope once per request: the edge
    reads it to refuse a malformed body with a 400 before verification, and the SDK's
    adapter then reads the same body again (a good part of a request's work); the
    second read takes the first's result. Per thread, and only for the same text."""

    def __init__(self) -> None:
        super().__init__()
        self._last = threading.local()

    def deserialize(self, payload: str, obj_type: Any) -> Any:
        if obj_type is not RequestEnvelope:
            return super().deserialize(payload=payload, obj_type=obj_type)
        last = getattr(self._last, "read", None)
        if last is not None and last[0] == payload:
            self._last.read = None  # given out once: the turn may change it
            return last[1]
        envelope = super().deserialize(payload=payload, obj_type=obj_type)
        self._last.read = (payload, envelope)
        return envelope


def health(status: Mapping[str, Any], settings: Settings) -> dict[str, Any]:
    """What /healthz says of a store that answers. The views' position alone cannot
    show a dead projector (every request catches them up), so the projector's own
    heartbeat does. Degraded, still 200: the skill answers everyone; an operator
    looks at the projector or at the events the views set aside (infra/RUNBOOK.md,
    "What /healthz says")."""
    projector = status["projector"]
    stale = projector is not None and (projector["heartbeat_age_s"] is None
                                       or projector["heartbeat_age_s"] > settings.projector_stale_s)
    return {"status": "degraded" if stale or status["set_aside"] else "ok",
            "store": settings.store.split(":", 1)[0],
            "version": installed_version(),
            "events": status["head"],
            "views_position": status["position"],
            "projector": projector,
            "set_aside": status["set_aside"]}


def build_skill(services: Services, api_timeout: float = 2.0) -> OnceSkill:
    """The ASK skill: the conversation's handlers behind the request context, with Alexa
    API calls under a timeout, each request acted on once."""
    sb = CustomSkillBuilder(api_client=AlexaApiClient(timeout=api_timeout))
    for handler in request_handlers():
        sb.add_request_handler(handler)
    sb.add_global_request_interceptor(ContextInterceptor(services))
    for handler in exception_handlers():
        sb.add_exception_handler(handler)
    skill = OnceSkill(sb.skill_configuration, services)
    skill.serializer = _OnceReadSerializer()
    return skill


def create_app(
    environ: Mapping[str, str] | None = None,
    *,
    app: SmallSteps | None = None,
    verifier: AlexaRequestVerifier | None = None,
    clock: Clock | None = None,
    settings: Settings | None = None,
    production: bool = False,
) -> Flask:
    """The Flask app, with `settings` (else settings read from `environ`, default the
    process environment, by skill/settings.py).

    `production=True` (the gunicorn workers) never creates tables: the store must have
    been set up with ``small-steps migrate``. A store that cannot be used yet (down, a
    wrong database name or port, no tables) does not stop the app: `/healthz` answers
    503 and `/alexa` the apology until it can, and then the app serves it
    (domain/opening.py)."""
    sdk_compat.install()  # before flask_ask_sdk imports certvalidator
    from flask_ask_sdk.skill_adapter import (
        VERIFY_SIGNATURE_APP_CONFIG,
        VERIFY_TIMESTAMP_APP_CONFIG,
        SkillAdapter,
    )

    settings = settings or Settings.from_env(environ)
    store = Opening(settings.store, clock, create_tables=not production, app=app,
                    ledger=settings.erasure_ledger)
    store.ready()  # open now if it can be; if not, each request tries again
    services = Services(store, IdentityHasher(settings.identity_key))
    skill = build_skill(services, settings.alexa_api_timeout)

    web = Flask("small_steps")
    web.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    # Our verifier does every check Alexa requires; the SDK's own need certvalidator.
    web.config[VERIFY_SIGNATURE_APP_CONFIG] = False
    web.config[VERIFY_TIMESTAMP_APP_CONFIG] = False
    web.logger.addFilter(_VerificationLogFilter())
    verifiers = []
    if settings.verify_requests:
        core = verifier or AlexaRequestVerifier.from_settings(settings.verification, clock=clock)
        verifiers.append(sdk_verifier(core))
    else:
        log.warning("REQUEST VERIFICATION IS OFF (SMALL_STEPS_VERIFY_REQUESTS=false): "
                    "for local testing only; serving on loopback %s", settings.host)
    adapter = SkillAdapter(skill=skill, skill_id=(settings.skill_ids or ("small-steps",))[0],
                           verifiers=verifiers, app=web)
    web.extensions[SERVICES] = services

    @web.before_request
    def start() -> None:
        g.started = time.perf_counter()
        g.request_id_token = REQUEST_ID.set(request_id_from(request.headers.get(REQUEST_ID_HEADER)))

    @web.after_request
    def access_log(response: Response) -> Response:
        response.headers[REQUEST_ID_HEADER] = REQUEST_ID.get() or ""
        if request.path != "/healthz" or response.status_code != 200:
            log.info("%s %s %d", request.method, request.path, response.status_code, extra={
                "method": request.method, "path": request.path, "status": response.status_code,
                "ms": round((time.perf_counter() - g.get("started", time.perf_counter())) * 1000, 1),
                **g.get("what", {})})
        return response

    @web.teardown_request
    def end(_: BaseException | None) -> None:
        token = g.pop("request_id_token", None)
        if token is not None:
            REQUEST_ID.reset(token)

    @web.post("/alexa")
    def alexa() -> Any:
        body = request.get_data(cache=True)
        try:
            envelope = read_envelope(body)
            skill.serializer.deserialize(payload=body.decode("utf-8"), obj_type=RequestEnvelope)
        except BadEnvelope as e:
            return _error(400, str(e))
        except Exception:  # noqa: BLE001 - the SDK could not read it: the sender's fault
            return _error(400, "the body is not an Alexa request envelope")
        g.what = _what(envelope)
        if not settings.verify_requests and settings.skill_ids:
            if envelope["context"]["System"]["application"]["applicationId"] not in settings.skill_ids:
                return _error(400, "the request is for a skill not served here")
        try:
            return adapter.dispatch_request()
        except StillHandling:
            response = _error(503, "this request is still being handled; try again")
            response.headers["Retry-After"] = "1"
            return response

    @web.get("/healthz")
    def healthz() -> Any:
        try:
            status = services.app.status()
        except Exception as e:  # noqa: BLE001
            log.warning("health check: store unavailable (%s)", type(e).__name__)
            return _error(503, "store unavailable")
        return jsonify(health(status, settings))

    @web.errorhandler(HTTPException)
    def http_error(e: HTTPException) -> Any:
        messages = {400: e.description if e.code == 400 else None,
                    413: f"the body is over {MAX_BODY_BYTES // 1024} KB"}
        message = messages.get(e.code) or e.name.lower()
        if e.code == 400 and "verification" in (e.description or ""):
            message = "the request failed Alexa request verification"
        return _error(e.code or 500, message)

    @web.errorhandler(Exception)
    def unexpected(e: Exception) -> Any:
        log.error("unexpected error", exc_info=e)
        return _error(500, "internal error")

    log.info("Small Steps ready: %s", settings.describe())
    return web
