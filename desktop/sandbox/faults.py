"""A fault-injecting HTTP proxy on 127.0.0.1, for testing a client's sync reliability.

Put it between the client and the sandbox; each request that matches the plan gets a fault:

* ``drop``     forward the request, read the server's whole answer, then close the client's
               connection without a byte: the server committed, the client learns nothing.
* ``delay``    forward, then hold the answer ``seconds`` before sending it (past a timeout).
* ``error``    answer 500 without forwarding (the server never sees the request).
* ``throttle`` answer 429 with ``Retry-After: seconds`` without forwarding.
* ``pass``     forward untouched.

A plan is a script (faults consumed in order by matching requests, each ``count`` times) and,
after the script, optional random faults at given rates from a seeded generator: the same
plan and the same request sequence give the same faults. The proxy stops itself after
``lifetime`` seconds or ``max_requests`` requests, whichever comes first.

    plan = FaultPlan(script=[Fault("drop")], methods=frozenset({"POST"}))
    with FaultProxy(sandbox.base_url, plan) as proxy:
        client = Client(proxy.base_url, key)   # the first POST's answer is lost
        ...
        assert proxy.events[0].fault == "drop" and proxy.events[0].upstream_status == 201
"""

from __future__ import annotations

import http.client
import json
import random
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Literal
from urllib.parse import urlsplit

FaultKind = Literal["pass", "drop", "delay", "error", "throttle"]
FAULT_KINDS: tuple[FaultKind, ...] = ("pass", "drop", "delay", "error", "throttle")
HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailers",
    "transfer-encoding",
    "upgrade",
    "host",
    "content-length",
}


@dataclass(frozen=True)
class Fault:
    kind: FaultKind
    seconds: float = 1.0  # delay: how long the answer is held; throttle: the Retry-After value
    count: int = 1  # how many consecutive matching requests get this fault

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault {self.kind!r}; use one of {FAULT_KINDS}")
        if self.count < 1 or self.seconds < 0:
            raise ValueError("a fault needs count >= 1 and seconds >= 0")


@dataclass(frozen=True)
class FaultPlan:
    script: Sequence[Fault] = ()
    rates: Mapping[FaultKind, float] = field(default_factory=dict)
    seed: int = 0
    methods: frozenset[str] = frozenset()  # empty: every method
    path_prefix: str = ""  # only paths that start with this are faulted
    random_seconds: float = 1.0  # `seconds` for faults drawn at random

    def matches(self, method: str, path: str) -> bool:
        return (not self.methods or method in self.methods) and path.startswith(self.path_prefix)


@dataclass(frozen=True)
class ProxyEvent:
    method: str
    path: str
    fault: FaultKind
    upstream_status: int | None  # None when the request was not forwarded


class _Chooser:
    """Hands out the plan's faults in a fixed order; thread-safe."""

    def __init__(self, plan: FaultPlan) -> None:
        self._plan = plan
        self._queue = [f for f in plan.script for _ in range(f.count)]
        self._random = random.Random(plan.seed)
        self._lock = threading.Lock()

    def next(self, method: str, path: str) -> Fault:
        if not self._plan.matches(method, path):
            return Fault("pass")
        with self._lock:
            if self._queue:
                return self._queue.pop(0)
            if not self._plan.rates:
                return Fault("pass")
            draw = self._random.random()
        total = 0.0
        for kind in sorted(self._plan.rates):
            total += self._plan.rates[kind]
            if draw < total:
                return Fault(kind, self._plan.random_seconds)
        return Fault("pass")


class FaultProxy:
    """A threaded HTTP/1.1 proxy from 127.0.0.1:`port` to `upstream` that injects faults."""

    def __init__(
        self,
        upstream: str,
        plan: FaultPlan | None = None,
        *,
        port: int = 0,
        lifetime: float = 120.0,
        max_requests: int = 10_000,
        upstream_timeout: float = 30.0,
    ) -> None:
        target = urlsplit(upstream)
        if target.scheme != "http" or not target.hostname:
            raise ValueError(f"upstream must be an http:// URL, not {upstream!r}")
        self.upstream_host = target.hostname
        self.upstream_port = target.port or 80
        self.plan = plan or FaultPlan()
        self.lifetime = lifetime
        self.max_requests = max_requests
        self.upstream_timeout = upstream_timeout
        self.events: list[ProxyEvent] = []
        self._events_lock = threading.Lock()
        self._chooser = _Chooser(self.plan)
        self._stopping = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", port), self._handler_class())
        self._server.daemon_threads = True
        self._threads: list[threading.Thread] = []

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> FaultProxy:
        serve = threading.Thread(target=self._server.serve_forever, name="fault-proxy", daemon=True)
        watchdog = threading.Thread(target=self._watch, name="fault-proxy-watchdog", daemon=True)
        self._threads = [serve, watchdog]
        for thread in self._threads:
            thread.start()
        return self

    def stop(self) -> None:
        if not self._stopping.is_set():
            self._stopping.set()
        for thread in self._threads:
            if thread is not threading.current_thread():
                thread.join(timeout=10)
        self._server.server_close()

    @property
    def stopped(self) -> bool:
        return self._stopping.is_set()

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _watch(self) -> None:
        """Stop after `lifetime` or `max_requests`: a forgotten proxy cannot linger."""
        self._stopping.wait(self.lifetime)
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()  # refuse new connections at once, not after a timeout

    def _record(self, event: ProxyEvent) -> None:
        with self._events_lock:
            self.events.append(event)
            if len(self.events) >= self.max_requests:
                self._stopping.set()

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Handler(_ProxyHandler):
            owner = proxy

        return Handler


class _ProxyHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    owner: FaultProxy

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the events list is the log."""

    def _body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            parts: list[bytes] = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(parts)
                parts.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _forward(self, body: bytes) -> tuple[int, str, list[tuple[str, str]], bytes]:
        owner = self.owner
        conn = http.client.HTTPConnection(
            owner.upstream_host, owner.upstream_port, timeout=owner.upstream_timeout
        )
        try:
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
            headers["Host"] = f"{owner.upstream_host}:{owner.upstream_port}"
            headers["Content-Length"] = str(len(body))
            conn.request(self.command, self.path, body=body, headers=headers)
            answer = conn.getresponse()
            content = answer.read()
            kept = [(k, v) for k, v in answer.getheaders() if k.lower() not in HOP_BY_HOP]
            return answer.status, answer.reason, kept, content
        finally:
            conn.close()

    def _send(self, status: int, headers: list[tuple[str, str]], content: bytes) -> None:
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)

    def _refuse(self, status: int, detail: str, extra: list[tuple[str, str]]) -> None:
        title = {429: "Too Many Requests", 502: "Bad Gateway"}.get(status, "Internal Server Error")
        document = {"errors": [{"status": str(status), "title": title, "detail": detail}]}
        content = json.dumps(document).encode("utf-8")
        self._send(status, [("Content-Type", "application/vnd.api+json"), *extra], content)

    def _handle(self) -> None:
        owner = self.owner
        body = self._body()
        path = self.path
        fault = owner._chooser.next(self.command, urlsplit(path).path)
        try:
            if fault.kind == "error":
                owner._record(ProxyEvent(self.command, path, "error", None))
                self._refuse(500, "Injected fault: internal server error.", [])
                return
            if fault.kind == "throttle":
                owner._record(ProxyEvent(self.command, path, "throttle", None))
                wait = max(1, round(fault.seconds))
                self._refuse(429, "Injected fault: rate limited.", [("Retry-After", str(wait))])
                return
            try:
                status, _, headers, content = self._forward(body)
            except OSError:
                owner._record(ProxyEvent(self.command, path, fault.kind, None))
                self._refuse(502, "The proxy could not reach the registry.", [])
                return
            owner._record(ProxyEvent(self.command, path, fault.kind, status))
            if fault.kind == "drop":
                self.close_connection = True
                return  # the server's answer is thrown away; the client sees the line go dead
            if fault.kind == "delay":
                owner._stopping.wait(fault.seconds)
            self._send(status, headers, content)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up (a timeout): expected here

    def do_GET(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def do_PUT(self) -> None:
        self._handle()

    def do_PATCH(self) -> None:
        self._handle()

    def do_DELETE(self) -> None:
        self._handle()

    def do_OPTIONS(self) -> None:
        self._handle()
