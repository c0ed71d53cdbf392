"""Serve the chat with waitress: python -m web [--corpus DIR] [--config FILE] [--host H] [--port P]."""

from __future__ import annotations

import argparse
import logging
import os
import sys

# The server runs many questions at once (threads, workers); BLAS thread pools inside each one only
# spin and steal the cores (measured: 12 ms of CPU per request instead of 5 with one client).
BLAS_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def main(argv: list[str] | None = None) -> int:
    """Build the app, print the address and serve until interrupted; return the exit code."""
    parser = argparse.ArgumentParser(prog="python -m web", description=__doc__)
    parser.add_argument(
        "--corpus", metavar="DIR", help="documents folder (default: the config's corpus.path)"
    )
    parser.add_argument(
        "--config", metavar="FILE", help="YAML settings (default: $ASSISTANT_CONFIG, ./config.yaml)"
    )
    parser.add_argument("--host", help="interface to listen on (default: the config's web.host, 127.0.0.1)")
    parser.add_argument(
        "--port",
        type=_bounded(0, 65535),
        help="port (default: the config's web.port, 8000; 0: any free port)",
    )
    parser.add_argument(
        "--threads", type=_bounded(1), help="threads per process (default: the config's web.threads)"
    )
    parser.add_argument(
        "--workers",
        type=_bounded(1),
        help="processes sharing the port (default: one per core, at most 4; 1 on Windows)",
    )
    args = parser.parse_args(argv)
    for name in BLAS_THREAD_VARIABLES:
        os.environ.setdefault(name, "1")
    # Imported after the variables are set: numpy reads them when it loads.
    from assistant import AssistantError

    from . import create_app
    from .serve import default_workers, serve

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        app = create_app({"ASSISTANT_CONFIG": args.config, "ASSISTANT_CORPUS": args.corpus})
    except AssistantError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    # Load the sentence encoder before the workers fork: they share its pages, and no worker's first
    # "not found" waits for it.
    app.extensions["assistant"].warm_up()
    web = app.extensions["assistant"].settings.web
    host = args.host if args.host is not None else web.host
    port = args.port if args.port is not None else web.port
    threads = args.threads or web.threads
    workers = args.workers or default_workers()

    def ready(urls: list[str]) -> None:
        for url in urls:
            processes = f"{workers} process{'es' if workers > 1 else ''} x {threads} threads"
            print(f"Serving {web.title} at {url} ({processes}; Ctrl+C to stop)", flush=True)

    try:
        return serve(
            app,
            host=host,
            port=port,
            threads=threads,
            workers=workers,
            on_ready=ready,
        )
    except (OSError, ValueError) as exc:
        print(f"error: cannot serve on {host}:{port}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 0


def _bounded(low: int, high: int | None = None):
    """Return an argparse type for integers from `low` to `high`: a port past 65535 would wrap round,
    and 0 threads would queue every request unanswered."""

    def integer(raw: str) -> int:
        value = int(raw)
        if value < low or (high is not None and value > high):
            raise argparse.ArgumentTypeError(
                f"must be an integer from {low} to {high}" if high is not None else f"must be at least {low}"
            )
        return value

    return integer


if __name__ == "__main__":
    sys.exit(main())
