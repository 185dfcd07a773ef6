"""Running the sandbox: bind 127.0.0.1 (any port, 0 = pick a free one), report the port, serve.

Uvicorn is handed a socket we bound ourselves, so that the real port is known before serving
starts and can be written to a file for the process that launched us. Ctrl+C (SIGINT) and
SIGTERM make uvicorn finish open requests and return.

Started by an app or a test (`--parent-pipe`), the server also ends when its parent does, even
when the parent is killed outright: the parent holds the only write end of our stdin, the
operating system closes it when the parent dies, and a thread here that reads stdin sees the
end of file. (Linux's parent-death signal would fire when the *thread* that started us ends,
which for the window is a pool thread; a pipe works the same on every platform.)
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
import threading
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import uvicorn

from desktop.sandbox.app import create_app
from desktop.sandbox.deps import SandboxConfig
from desktop.sandbox.ratelimit import DEFAULT_RATE_LIMIT, parse_rate_limit

HOST = "127.0.0.1"
DEFAULT_PORT = 8765
EXIT_GRACE = 5.0  # seconds for open requests to finish once the parent is gone


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
    parent_pipe: bool = False,
) -> None:
    """Serve in the foreground until interrupted (or, with `parent_pipe`, until stdin ends)."""
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
    if parent_pipe:
        threading.Thread(target=_end_with_parent, args=(server,), daemon=True).start()
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass  # uvicorn re-raises Ctrl+C after its graceful shutdown; stopping is the point
    finally:
        sock.close()
    print("Sandbox registry stopped.", flush=True)


def _end_with_parent(server: uvicorn.Server) -> None:
    """Block on stdin; at its end (the parent closed it or died) stop serving."""
    try:
        while sys.stdin.buffer.read(4096):
            pass  # the parent never writes; anything it does write is ignored
    except (OSError, ValueError):
        pass  # a closed or broken stdin means the same: the parent is gone
    print("The program that started the sandbox ended; stopping.", flush=True)
    server.should_exit = True
    time.sleep(EXIT_GRACE)
    os._exit(0)  # uvicorn did not finish in time: leave no orphan behind


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
    parser.add_argument(
        "--parent-pipe",
        action="store_true",
        help="stop when stdin ends (the launching process closed it or died)",
    )
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
        serve(
            config,
            port=args.port,
            port_file=args.port_file,
            log_level=args.log_level,
            parent_pipe=args.parent_pipe,
        )
    except SandboxError as exc:
        print(f"sandbox: {exc}", file=sys.stderr)
        return 1
    return 0
