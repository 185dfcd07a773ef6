"""Running the sandbox: bind 127.0.0.1 (any port, 0 = pick a free one), report the port, serve.

Uvicorn is handed a socket we bound ourselves, so that the real port is known before serving
starts and can be written to a file for the process that launched us. Ctrl+C (SIGINT) and
SIGTERM make uvicorn finish open requests and return.
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import uvicorn

from desktop.sandbox.app import create_app
from desktop.sandbox.deps import SandboxConfig
from desktop.sandbox.ratelimit import DEFAULT_RATE_LIMIT, parse_rate_limit

HOST = "127.0.0.1"
DEFAULT_PORT = 8765


class SandboxError(Exception):
    """The sandbox cannot start (port taken, folder not writable); the message says why."""


def bind(port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if os.name != "nt":  # on Windows SO_REUSEADDR would let two servers share the port
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((HOST, port))
    except OSError as exc:
        sock.close()
        raise SandboxError(
            f"Cannot listen on {HOST}:{port} ({exc.strerror or exc}); "
            "choose another --port or stop the program using it."
        ) from exc
    # Accepted sockets inherit TCP_NODELAY; without it every keep-alive request waited ~40 ms
    # (Nagle against the client's delayed ACK), measured 44 ms vs 1.2 ms per request.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.set_inheritable(True)
    return sock


def write_port_file(path: Path, port: int) -> None:
    temp = path.with_name(path.name + ".tmp")
    temp.write_text(f"{port}\n", encoding="ascii")
    os.replace(temp, path)


def serve(
    config: SandboxConfig,
    *,
    port: int = DEFAULT_PORT,
    port_file: Path | None = None,
    log_level: str = "warning",
) -> None:
    """Serve in the foreground until interrupted."""
    try:
        app = create_app(config)
    except OSError as exc:
        raise SandboxError(f"Cannot use the sandbox folder {config.data_dir}: {exc}") from exc
    sock = bind(port)
    actual = sock.getsockname()[1]
    if port_file is not None:
        write_port_file(port_file, actual)
    print(
        f"Sandbox registry on http://{HOST}:{actual} (data: {config.data_dir}; "
        f"rate limit: {config.rate_limit or 'off'}). Press Ctrl+C to stop.",
        flush=True,
    )
    server = uvicorn.Server(
        uvicorn.Config(app, log_level=log_level, access_log=False, lifespan="off")
    )
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass  # uvicorn re-raises Ctrl+C after its graceful shutdown; stopping is the point
    finally:
        sock.close()
    print("Sandbox registry stopped.", flush=True)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m desktop.sandbox", description="Run the local sandbox registry."
    )
    parser.add_argument("--data-dir", type=Path, required=True, help="the sandbox's own folder")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="0 picks a free port")
    parser.add_argument("--port-file", type=Path, help="write the bound port to this file")
    parser.add_argument(
        "--rate-limit",
        default=str(DEFAULT_RATE_LIMIT),
        help="N/SECONDS per API key (default 10/5), or off",
    )
    parser.add_argument("--today", type=date.fromisoformat, help="pretend today is YYYY-MM-DD")
    parser.add_argument("--log-level", default="warning")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        limit = parse_rate_limit(args.rate_limit)
    except ValueError as exc:
        parser.error(str(exc))
    config = SandboxConfig(data_dir=args.data_dir, rate_limit=limit, today=args.today)
    try:
        serve(config, port=args.port, port_file=args.port_file, log_level=args.log_level)
    except SandboxError as exc:
        print(f"sandbox: {exc}", file=sys.stderr)
        return 1
    return 0
