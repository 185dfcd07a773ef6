"""The registry client: sessions, timeouts, the rate limit, back-off and typed errors.

* One `requests.Session` per thread (engineering-notes.md), TLS verification always on, a CA
  bundle or the OS trust store when configured, proxies from the environment — except for
  loopback addresses, which never go through a proxy whatever the environment says (the local
  sandbox's key would reach HTTP_PROXY in clear).
* Every request takes a token from the key's `RateLimiter` first, so the registry's limit is
  respected before it has to say 429; a 429 that comes anyway blocks the key for Retry-After.
* urllib3's `Retry` only repeats *connection* failures (the request never reached the server,
  so the rate limiter does not have to know). Everything else is retried here, through the
  limiter: 429, 5xx and dropped connections with exponential back-off and jitter for idempotent
  methods; for a create (POST), `create()` first asks `lookup` whether the record landed and
  only posts again when it did not (the API has no idempotency key; decisions.md).
* Problems come out as typed errors: AuthError (key missing or refused), OfflineError (the
  registry cannot be reached), RegistryRefusedError (a 4xx with the JSON:API error pointers).
"""

from __future__ import annotations

import hashlib
import ipaddress
import os
import random
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import ConnectTimeoutError, MaxRetryError
from urllib3.util.retry import Retry

from desktop import __version__
from desktop.errors import AuthError, OfflineError, RegistryError
from desktop.sync.endpoints import PAGE_SIZE_MAX, Endpoint, endpoint
from desktop.sync.ratelimit import DEFAULT_LIMIT, Limit, RateLimiter, limiter_for

Check = Callable[[], None]  # raises to cancel (tasks.Progress.check)
JSON_API = "application/vnd.api+json"
RETRY_STATUSES = (500, 502, 503, 504)


@dataclass(frozen=True, slots=True)
class Problem:
    """One JSON:API error object."""

    detail: str
    status: str = ""
    code: str = ""
    pointer: str = ""
    parameter: str = ""

    @property
    def attribute(self) -> str:
        """The attribute or relationship the pointer names ('' for the whole document)."""
        parts = [p for p in self.pointer.split("/") if p]
        for marker in ("attributes", "relationships"):
            if marker in parts and parts.index(marker) + 1 < len(parts):
                return parts[parts.index(marker) + 1]
        return ""

    def to_json(self) -> dict[str, str]:
        return {
            "detail": self.detail,
            "status": self.status,
            "code": self.code,
            "pointer": self.pointer,
            "parameter": self.parameter,
        }


class RegistryRefusedError(RegistryError):
    """The registry answered with a client error (400, 404, 409, 413, 422)."""

    def __init__(self, status: int, problems: list[Problem], *, where: str = "") -> None:
        details = "; ".join(p.detail for p in problems[:5]) or f"HTTP {status}"
        super().__init__(f"The registry refused the request ({status}): {details}", where=where)
        self.status = status
        self.problems = problems


class RegistryUnavailableError(RegistryError):
    """The registry kept answering 5xx after every retry."""


@dataclass
class ClientConfig:
    base_url: str
    api_key: str
    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    limit: Limit = DEFAULT_LIMIT
    ca_bundle: str = ""  # a PEM file for a corporate CA; "" = the default trust
    use_os_trust_store: bool = False
    max_attempts: int = 6  # per request, for errors (429 waits do not count)
    backoff_base: float = 0.5
    backoff_max: float = 30.0
    max_throttle_waits: int = 30

    def __post_init__(self) -> None:
        self.base_url = self.base_url.rstrip("/")
        parts = urlsplit(self.base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise RegistryError(
                f"'{self.base_url}' is not a registry address; enter one like "
                "https://api-sandbox.mrets.org."
            )
        if parts.scheme == "http" and not is_loopback(self.base_url):
            raise RegistryError(
                "Only the local sandbox may be reached without TLS; use an https:// address."
            )

    def __repr__(self) -> str:  # never the key, even in a traceback's locals
        return f"ClientConfig(base_url={self.base_url!r}, api_key='[redacted]')"


LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


def is_loopback(url: str) -> bool:
    host = (urlsplit(url).hostname or "").strip("[]").casefold()
    if host in LOOPBACK_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def proxies_for(url: str) -> dict[str, str]:
    """The `proxies` argument for a request to `url`: the environment's no-proxy set plus every
    loopback address, so requests takes no proxy from the environment for a loopback URL."""
    from_env = os.environ.get("NO_PROXY") or os.environ.get("no_proxy") or ""
    loopback = ",".join((*LOOPBACK_HOSTS, "127.0.0.0/8"))
    return {"no_proxy": ",".join(p for p in (from_env, loopback) if p)}


def fingerprint(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def _connect_failed(exc: BaseException) -> bool:
    """True when the request never reached the server (refused, unreachable, DNS, connect
    timeout): nothing can have been created, and the registry is simply not there."""
    seen: set[int] = set()
    stack: list[BaseException | None] = [exc]
    while stack:
        current = stack.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, ConnectTimeoutError | requests.ConnectTimeout):
            return True
        if isinstance(current, MaxRetryError):
            stack.append(current.reason)
        stack.extend(a for a in current.args if isinstance(a, BaseException))
        stack.append(current.__cause__)
        stack.append(current.__context__)
    return False


def _parse_problems(response: requests.Response) -> list[Problem]:
    try:
        body = response.json()
    except ValueError:
        return [
            Problem(detail=response.text[:300] or response.reason, status=str(response.status_code))
        ]
    out: list[Problem] = []
    if isinstance(body, dict) and isinstance(body.get("errors"), list):
        for e in body["errors"]:
            if not isinstance(e, dict):
                out.append(Problem(detail=str(e), status=str(response.status_code)))
                continue
            raw_source = e.get("source")
            source: dict[str, Any] = raw_source if isinstance(raw_source, dict) else {}
            out.append(
                Problem(
                    detail=str(e.get("detail") or e.get("title") or "refused"),
                    status=str(e.get("status") or response.status_code),
                    code=str(e.get("code") or ""),
                    pointer=str(source.get("pointer") or ""),
                    parameter=str(source.get("parameter") or ""),
                )
            )
    elif isinstance(body, dict) and isinstance(body.get("rows"), list):
        # The Swagger's generation upload shape: {"rows": [{"errors": [...], "row": [...]}]}
        for row in body["rows"]:
            for message in (row or {}).get("errors", []):
                out.append(Problem(detail=str(message), status=str(response.status_code)))
    return out or [Problem(detail=response.reason or "refused", status=str(response.status_code))]


def _retry_after(response: requests.Response, default: float) -> float:
    raw = response.headers.get("Retry-After", "")
    try:
        return max(0.0, float(raw))
    except ValueError:
        return default


@dataclass
class Stats:
    """Counters for the benchmark and the outbox's progress text."""

    requests: int = 0
    throttled: int = 0
    retried: int = 0
    lookups: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, name: str, n: int = 1) -> None:
        with self.lock:
            setattr(self, name, getattr(self, name) + n)


class RegistryClient:
    """Talks to one registry with one key. Safe to share between threads."""

    def __init__(
        self,
        config: ClientConfig,
        *,
        limiter: RateLimiter | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.config = config
        self.limiter = limiter or limiter_for(
            config.base_url, fingerprint(config.api_key), config.limit
        )
        self._local = threading.local()
        self._sessions: list[requests.Session] = []
        self._sessions_lock = threading.Lock()
        self._sleep = sleep
        self.stats = Stats()

    def __repr__(self) -> str:
        return f"RegistryClient({self.config.base_url!r})"

    # --- sessions ------------------------------------------------------------------------------

    def _session(self) -> requests.Session:
        session: requests.Session | None = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            retry = Retry(
                total=2,
                connect=2,
                read=0,
                status=0,
                other=0,
                backoff_factor=0.2,
                allowed_methods=frozenset({"GET", "PUT", "PATCH", "DELETE", "HEAD"}),
                raise_on_status=False,
            )
            adapter = self._adapter(retry)
            session.mount("https://", adapter)
            session.mount("http://", adapter)
            session.headers.update(
                {
                    "X-Api-Key": self.config.api_key,
                    "Accept": JSON_API,
                    "User-Agent": f"RegistryDesk/{__version__}",
                }
            )
            session.verify = self.config.ca_bundle or True  # never False
            self._local.session = session
            with self._sessions_lock:
                self._sessions.append(session)
        return session

    def _adapter(self, retry: Retry) -> HTTPAdapter:
        if not self.config.use_os_trust_store:
            return HTTPAdapter(max_retries=retry)
        import ssl  # noqa: PLC0415 - only for corporate networks

        import truststore  # noqa: PLC0415

        context = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        if self.config.ca_bundle:
            context.load_verify_locations(self.config.ca_bundle)

        class _TrustStoreAdapter(HTTPAdapter):
            def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
                kwargs["ssl_context"] = context
                super().init_poolmanager(*args, **kwargs)

        return _TrustStoreAdapter(max_retries=retry)

    def close(self) -> None:
        with self._sessions_lock:
            for session in self._sessions:
                session.close()
            self._sessions.clear()
        self._local = threading.local()

    # --- one request, with the rate limit and the retries ---------------------------------------

    def _pause(self, seconds: float, check: Check | None) -> None:
        end = time.monotonic() + seconds
        while True:
            if check is not None:
                check()
            left = end - time.monotonic()
            if left <= 0:
                return
            self._sleep(min(left, 0.2))

    def _backoff(self, attempt: int) -> float:
        base = min(self.config.backoff_max, self.config.backoff_base * (2 ** (attempt - 1)))
        return float(base * (0.5 + random.random() / 2))  # jitter, not cryptography

    def send(
        self,
        ep: Endpoint,
        *,
        path: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        files: Mapping[str, Any] | None = None,
        data: Mapping[str, Any] | None = None,
        check: Check | None = None,
        retry_lost: bool | None = None,
    ) -> requests.Response:
        """Send once through the limiter; repeat on 429 always, and on 5xx and lost answers
        when `retry_lost` (default: the endpoint is idempotent). Returns a 2xx response.

        Raises LostAnswerError when a non-retried request's answer was lost or was a 5xx.
        """
        retry_lost = ep.idempotent if retry_lost is None else retry_lost
        url = self.config.base_url + ep.url_path(**(path or {}))
        timeout = (self.config.connect_timeout, self.config.read_timeout)
        attempt = 0
        throttled = 0
        while True:
            attempt += 1
            token = self.limiter.acquire(check)
            try:
                self.stats.add("requests")
                response = self._session().request(
                    ep.method,
                    url,
                    params=params,
                    json=json,
                    files=files,
                    data=data,
                    timeout=timeout,
                    proxies=proxies_for(url),
                    headers={"Content-Type": JSON_API} if json is not None else None,
                )
            except requests.RequestException as exc:
                token.done()
                if _connect_failed(exc):
                    raise OfflineError(
                        f"The registry at {self.config.base_url} cannot be reached. "
                        "Your work stays queued and is sent when it is back."
                    ) from None
                if not retry_lost:
                    raise LostAnswerError(f"No answer from {ep.method} {ep.path}: {exc}") from None
                if attempt >= self.config.max_attempts:
                    raise OfflineError(
                        f"The registry at {self.config.base_url} stopped answering "
                        f"({type(exc).__name__}). Your work stays queued."
                    ) from None
                self.stats.add("retried")
                self._pause(self._backoff(attempt), check)
                continue
            token.done()
            status = response.status_code
            if status < 300:
                return response
            if status == 429:
                self.stats.add("throttled")
                throttled += 1
                attempt -= 1  # the server did not process it: not an error attempt
                wait = _retry_after(response, self.config.limit.seconds)
                self.limiter.block(wait)
                if throttled > self.config.max_throttle_waits:
                    raise RegistryUnavailableError(
                        "The registry keeps refusing requests as too many (429); try later."
                    )
                continue
            if status in (401, 403):
                raise AuthError(
                    "The registry refused the API key"
                    + (" (401)." if status == 401 else " for this action (403).")
                    + " Enter the key again in Settings → Registry connection; nothing queued "
                    "is lost."
                )
            if status in RETRY_STATUSES:
                if not retry_lost:
                    raise LostAnswerError(f"{ep.method} {ep.path} answered {status}")
                if attempt >= self.config.max_attempts:
                    raise RegistryUnavailableError(
                        f"The registry answered {status} {response.reason} {attempt} times; "
                        "your work stays in the outbox, try again later."
                    )
                self.stats.add("retried")
                self._pause(self._backoff(attempt), check)
                continue
            raise RegistryRefusedError(
                status, _parse_problems(response), where=f"{ep.method} {ep.path}"
            )

    # --- JSON:API helpers ------------------------------------------------------------------------

    def call(self, name: str, **kwargs: Any) -> dict[str, Any]:
        response = self.send(endpoint(name), **kwargs)
        if response.status_code == 204 or not response.content:
            return {}
        body: dict[str, Any] = response.json()
        return body

    def get(self, name: str, ident: str, *, check: Check | None = None) -> dict[str, Any]:
        data: dict[str, Any] = self.call(name, path={"id": ident}, check=check)["data"]
        return data

    def iter_list(
        self,
        name: str,
        filters: Mapping[str, str] | None = None,
        *,
        path: Mapping[str, str] | None = None,
        check: Check | None = None,
    ) -> Iterator[dict[str, Any]]:
        """Every resource of a list, page by page (the largest page the API allows)."""
        number = 1
        while True:
            params: dict[str, Any] = {f"filter[{k}]": v for k, v in (filters or {}).items()}
            params.update({"page[number]": number, "page[size]": PAGE_SIZE_MAX})
            body = self.call(name, path=path, params=params, check=check)
            yield from body.get("data") or []
            links = body.get("links") or {}
            meta_pages = ((body.get("meta") or {}).get("page") or {}).get("total_pages")
            if not links.get("next") and not (meta_pages and number < int(meta_pages)):
                return
            number += 1

    def list_all(
        self, name: str, filters: Mapping[str, str] | None = None, **kw: Any
    ) -> list[dict[str, Any]]:
        return list(self.iter_list(name, filters, **kw))

    def create(
        self,
        name: str,
        *,
        lookup: Callable[[], dict[str, Any] | None],
        json: Any = None,
        files: Mapping[str, Any] | None = None,
        data: Mapping[str, Any] | None = None,
        path: Mapping[str, str] | None = None,
        check: Check | None = None,
    ) -> dict[str, Any]:
        """POST a new record exactly once.

        When the answer is lost (dropped connection, timeout) or is a 5xx, the record may or
        may not exist: `lookup()` asks the registry, and only when it finds nothing is the
        POST sent again.
        """
        ep = endpoint(name)
        attempt = 0
        while True:
            attempt += 1
            try:
                response = self.send(
                    ep, path=path, json=json, files=files, data=data, check=check, retry_lost=False
                )
            except LostAnswerError:
                if attempt >= self.config.max_attempts:
                    raise OfflineError(
                        f"The registry at {self.config.base_url} keeps losing its answers; "
                        "your work stays queued."
                    ) from None
                self.stats.add("retried")
                self._pause(self._backoff(attempt), check)
                self.stats.add("lookups")
                found = lookup()
                if found is not None:
                    return found
                continue
            body: dict[str, Any] = response.json()["data"]
            return body

    def test_connection(self, check: Check | None = None) -> str:
        """One authenticated request; raises AuthError / OfflineError / RegistryError."""
        body = self.call(
            "fuel_sources.list", params={"page[size]": 1, "page[number]": 1}, check=check
        )
        total = (body.get("meta") or {}).get("total")
        return f"Connected to {self.config.base_url}; the key works" + (
            f" ({total} fuel sources listed)." if total is not None else "."
        )


class LostAnswerError(RegistryError):
    """A request's answer never came (or was a 5xx): it may or may not have been applied."""
