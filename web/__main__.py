"""Serve the chat with waitress: python -m web [--corpus DIR] [--config FILE] [--host H] [--port P]."""

from __future__ import annotations

import argparse
import logging
import sys

from waitress import create_server

from assistant import AssistantError

from . import create_app


def main(argv: list[str] | None = None) -> int:
    """Build the app, print the address and serve until interrupted; return the exit code."""
    parser = argparse.ArgumentParser(prog="python -m web", description=__doc__)
    parser.add_argument(
        "--corpus", metavar="DIR", help="folder of documents (default: the config's corpus.path)"
    )
    parser.add_argument(
        "--config", metavar="FILE", help="YAML settings file (default: $ASSISTANT_CONFIG or ./config.yaml)"
    )
    parser.add_argument("--host", help="interface to listen on (default: the config's web.host, 127.0.0.1)")
    parser.add_argument(
        "--port", type=int, help="port (default: the config's web.port, 8000; 0 picks a free one)"
    )
    parser.add_argument("--threads", type=int, help="worker threads (default: the config's web.threads)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        app = create_app({"ASSISTANT_CONFIG": args.config, "ASSISTANT_CORPUS": args.corpus})
    except AssistantError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    web = app.extensions["assistant"].settings.web
    host = args.host if args.host is not None else web.host
    port = args.port if args.port is not None else web.port
    try:
        server = create_server(app, host=host, port=port, threads=args.threads or web.threads)
    except OSError as exc:
        print(f"error: cannot listen on {host}:{port} ({exc.strerror or exc})", file=sys.stderr)
        return 2
    for url in _urls(server):
        print(f"Serving {web.title} at {url} (Ctrl+C to stop)", flush=True)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
    return 0


def _urls(server) -> list[str]:
    # One socket gives a server with effective_host/port; several (e.g. "localhost") a list.
    listen = getattr(server, "effective_listen", None) or [(server.effective_host, server.effective_port)]
    return [f"http://{f'[{h}]' if ':' in str(h) else h}:{p}/" for h, p in listen]


if __name__ == "__main__":
    sys.exit(main())
