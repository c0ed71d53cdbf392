"""Command line: python -m assistant ask "QUESTION" [--history Q ...] [--corpus DIR] [--json]."""

from __future__ import annotations

import argparse
import json
import sys
import textwrap

from .errors import AssistantError
from .language.text import display_lines
from .pipeline import Assistant


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code (0 ok, 2 usage or input error)."""
    parser = argparse.ArgumentParser(prog="python -m assistant", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    ask = sub.add_parser("ask", help="answer one question from the corpus")
    ask.add_argument("question")
    ask.add_argument(
        "--history", action="append", default=[], metavar="Q", help="an earlier question (repeatable)"
    )
    ask.add_argument(
        "--corpus", metavar="DIR", help="folder of documents (default: the config's corpus.path)"
    )
    ask.add_argument("--config", metavar="FILE", help="YAML settings file")
    ask.add_argument(
        "--document", action="append", metavar="ID", help="search only this document (repeatable)"
    )
    ask.add_argument("--json", action="store_true", help="print the answer object as JSON")
    args = parser.parse_args(argv)
    try:
        assistant = Assistant.from_config(args.config, corpus=args.corpus)
        answer = assistant.ask(args.question, args.history, documents=args.document)
    except AssistantError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        if args.json:
            print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
        else:
            print(render(answer.to_dict()))
        sys.stdout.flush()
    except BrokenPipeError:  # the reader stopped early (| head): not an error
        sys.stderr.close()
    return 0


def render(answer: dict) -> str:
    """Return a readable rendering of an answer object."""
    lines = []
    if answer["resolved_question"] != answer["question"]:
        lines.append(f"Searched for: {answer['resolved_question']}")
    if answer["message"]:
        lines.append(answer["message"])
    for c in answer["citations"]:
        for i, line in enumerate(display_lines(c["quote"])):
            first = "  > " if i == 0 else "    "
            lines.append(textwrap.fill(line, 88, initial_indent=first, subsequent_indent="    "))
        source = ", ".join(
            x for x in (c["author"], f"\u201c{c['title']}\u201d", c["publisher"], c["locator"]) if x
        )
        where = f", characters {c['start']}-{c['end']}" if c.get("source", "text") == "text" else ""
        lines.append(f"  \u2014 {source} [{c['passage_id']}{where}]")
    if answer["status"] == "not_found" and answer["passages"]:
        lines.append(
            "Related passages (not an answer): " + ", ".join(p["locator"] for p in answer["passages"][:3])
        )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
