"""The device's time zone, from the Alexa settings API, cached per device.

Calls go through ask-sdk's UpsServiceClient with `AlexaApiClient`, a small ApiClient
with a timeout (the SDK's default client has none, and a slow call must never hold up a
person at 7 a.m.). Plain HTTP is allowed only to a loopback address, for tests."""

from __future__ import annotations

import logging
import threading
import time
import urllib.error
import urllib.request
from collections import OrderedDict
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ask_sdk_model.services import ApiClient, ApiClientRequest, ApiClientResponse
from ask_sdk_model.services.service_exception import ServiceException

from skill.settings import is_loopback

log = logging.getLogger(__name__)

# Where a person's zone is unknown and the device cannot tell: the locale's most
# populous zone.
LOCALE_ZONES = {
    "en-US": "America/New_York",
    "en-GB": "Europe/London",
    "en-IE": "Europe/Dublin",
    "en-CA": "America/Toronto",
    "en-AU": "Australia/Sydney",
    "en-IN": "Asia/Kolkata",
}
MAX_RESPONSE_BYTES = 16 * 1024


class AlexaApiClient(ApiClient):
    """ask-sdk ApiClient over urllib, with a timeout."""

    def __init__(self, timeout: float = 2.0):
        self.timeout = timeout

    def invoke(self, request: ApiClientRequest) -> ApiClientResponse:
        parts = urlsplit(request.url or "")
        if parts.scheme != "https" and not (parts.scheme == "http"
                                            and is_loopback(parts.hostname or "")):
            raise ServiceException("Alexa API calls must use HTTPS", 0, None, None)
        headers = dict(request.headers or [])
        req = urllib.request.Request(request.url, method=request.method or "GET",
                                     headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:  # noqa: S310
                return ApiClientResponse(headers=list(resp.headers.items()),
                                         body=resp.read(MAX_RESPONSE_BYTES).decode("utf-8"),
                                         status_code=resp.status)
        except urllib.error.HTTPError as e:
            return ApiClientResponse(headers=list(e.headers.items()),
                                     body=e.read(MAX_RESPONSE_BYTES).decode("utf-8", "replace"),
                                     status_code=e.code)


class TimeZoneCache:
    """Device id → zone name, for an hour, at most `size` devices (thread-safe)."""

    def __init__(self, ttl: float = 3600.0, size: int = 10_000):
        self.ttl, self.size = ttl, size
        self._entries: OrderedDict[str, tuple[float, str | None]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, device_id: str) -> tuple[bool, str | None]:
        with self._lock:
            entry = self._entries.get(device_id)
            if entry is None or entry[0] < time.monotonic():
                return False, None
            self._entries.move_to_end(device_id)
            return True, entry[1]

    def put(self, device_id: str, zone: str | None, ttl: float | None = None) -> None:
        with self._lock:
            self._entries[device_id] = (time.monotonic() + (self.ttl if ttl is None else ttl), zone)
            self._entries.move_to_end(device_id)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)


def valid_zone(name: object) -> str | None:
    if not isinstance(name, str) or not name:
        return None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return name


def device_time_zone(handler_input, cache: TimeZoneCache) -> str | None:  # noqa: ANN001
    """The device's zone, or None when the device or the API cannot say."""
    system = handler_input.request_envelope.context.system if handler_input.request_envelope.context else None
    device_id = system.device.device_id if system is not None and system.device else None
    if not device_id or not system.api_endpoint or not system.api_access_token:
        return None
    hit, zone = cache.get(device_id)
    if hit:
        return zone
    factory = handler_input.service_client_factory
    if factory is None:
        return None
    try:
        zone = valid_zone(factory.get_ups_service().get_system_time_zone(device_id))
        cache.put(device_id, zone)
    except Exception as e:  # noqa: BLE001 - any failure means "not known now"
        log.warning("device time zone unavailable: %s", type(e).__name__)
        cache.put(device_id, None, ttl=60.0)  # try again in a minute, not on every request
        zone = None
    return zone
