"""Run the app with waitress: one process, or several forked workers sharing the listening sockets."""

from __future__ import annotations

import logging
import os
import signal
import socket
import sys
from collections.abc import Callable

from waitress import create_server
from waitress.adjustments import Adjustments

log = logging.getLogger(__name__)
BACKLOG = 1024
MAX_DEFAULT_WORKERS = 4


def default_workers() -> int:
    """Return one worker per core (at most 4) where fork() exists, else 1."""
    return min(os.cpu_count() or 1, MAX_DEFAULT_WORKERS) if hasattr(os, "fork") else 1


def serve(
    app,
    *,
    host: str,
    port: int,
    threads: int,
    workers: int = 1,
    on_ready: Callable[[list[str]], None] = lambda urls: None,
) -> int:
    """Listen on host:port, call `on_ready` with the URLs, and serve until interrupted; return the exit code.

    With workers > 1 the process binds the sockets, then forks that many waitress processes (POSIX only):
    the app is stateless, so any worker can answer any request, and several use several cores.

    Raises:
        OSError: the address cannot be bound.
        ValueError: several workers were asked for on a system without fork().
    """
    if workers > 1 and not hasattr(os, "fork"):
        raise ValueError("several workers need fork(); run one process per port behind a proxy instead")
    sockets = _bind(host, port)
    on_ready([_url(s) for s in sockets])
    if workers <= 1:
        # SIGTERM (systemd, docker stop) ends the waitress loop like Ctrl+C does (it catches SystemExit).
        signal.signal(signal.SIGTERM, _exit)
        return _run(app, sockets, threads)
    return _supervise([_fork(app, sockets, threads) for _ in range(workers)])


def _bind(host: str, port: int) -> list[socket.socket]:
    sockets = []
    for family, kind, proto, address in Adjustments(host=host, port=port).listen:
        sock = socket.socket(family, kind, proto)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if family == socket.AF_INET6:
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        try:
            sock.bind(address)
        except OSError:
            sock.close()
            for other in sockets:
                other.close()
            raise
        sock.listen(BACKLOG)
        sockets.append(sock)
    return sockets


def _url(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    return f"http://{f'[{host}]' if ':' in host else host}:{port}/"


def _run(app, sockets: list[socket.socket], threads: int) -> int:
    server = create_server(app, sockets=sockets, threads=threads)
    try:
        server.run()
    finally:
        server.close()
    return 0


def _fork(app, sockets: list[socket.socket], threads: int) -> int:
    pid = os.fork()
    if pid:
        return pid
    signal.signal(signal.SIGTERM, _exit)
    code = 1
    try:
        code = _run(app, sockets, threads)
    except (KeyboardInterrupt, SystemExit):
        code = 0
    except Exception:
        log.exception("worker %d failed", os.getpid())
    finally:
        os._exit(code)


def _exit(*_) -> None:
    sys.exit(0)


def _supervise(pids: list[int]) -> int:
    """Wait for the workers; stop them all on SIGTERM or Ctrl+C, or when one of them dies."""
    stopping = False

    def stop(*_) -> None:
        nonlocal stopping
        stopping = True
        for pid in pids:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass

    # Ctrl+C reaches the workers too (same process group); handling it here, not as KeyboardInterrupt,
    # marks the stop before their exits are reaped, so they are not taken for crashes.
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    code = 0
    while pids:
        try:
            pid, status = os.wait()
        except ChildProcessError:
            break
        pids.remove(pid)
        if not stopping:
            # A worker that dies leaves less capacity than asked for: stop, so a supervisor restarts us.
            log.error("worker %d exited (status %d); stopping the others", pid, status)
            code = 1
            stop()
    return code
