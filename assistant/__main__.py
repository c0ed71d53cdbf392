"""Command line: python -m assistant ask "QUESTION" [--history Q ...] [--corpus DIR] [--json];
python -m assistant add FILE... [--corpus DIR]; python -m assistant check FILE..."""

from __future__ import annotations

import argparse
import filecmp
import json
import shutil
import sys
import textwrap
from pathlib import Path

from .config import load_settings
from .errors import AssistantError, CorpusError
from .ingest.corpus import DOCUMENT_SUFFIXES, METADATA_SUFFIXES
from .ingest.progress import reporter
from .ingest.report import FileReport, check_file
from .language.text import display_lines
from .pipeline import Assistant
from .retrieve.stamp import stamp_path, write_stamp
from .retrieve.store import index_root


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
    add = sub.add_parser(
        "add", help="copy documents into the corpus, read them, update the saved index (servers reload it)"
    )
    add.add_argument("files", nargs="+", metavar="FILE", help=".pdf, .docx, .html, .htm, .txt or .md")
    add.add_argument("--corpus", metavar="DIR", help="corpus folder (default: the config's corpus.path)")
    add.add_argument("--config", metavar="FILE", help="YAML settings file")
    check = sub.add_parser("check", help="report what each file gives (or why it is refused), adding nothing")
    check.add_argument("files", nargs="+", metavar="FILE")
    check.add_argument("--config", metavar="FILE", help="YAML settings file")
    args = parser.parse_args(argv)
    if args.command in ("add", "check"):
        try:
            if args.command == "check":
                return check_files(args.files, config=args.config)
            return add_files(args.files, corpus=args.corpus, config=args.config)
        except AssistantError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
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


# ---------------------------------------------------------------- check and add


def check_files(files: list[str], *, config: str | None = None, out=None) -> int:
    """Report on each file; return 0 when all can be read, 2 when any is refused."""
    out = out or sys.stdout
    extracted = index_root(load_settings(config).retrieval.index_dir)
    reports = [_report(Path(f), i, len(files), extracted, out) for i, f in enumerate(files, 1)]
    refused = sum(not r.ok for r in reports)
    print(f"{len(reports) - refused} of {len(reports)} file(s) can be added", file=out)
    return 2 if refused else 0


def add_files(files: list[str], *, corpus: str | None = None, config: str | None = None, out=None) -> int:
    """Copy each readable file (and a <stem>.yaml beside it) into the corpus, then save the new index
    and rewrite the corpus's stamp; return 0 when every file was added, 2 when any was refused."""
    out = out or sys.stdout
    settings = load_settings(config)
    directory = Path(corpus or settings.corpus.path)
    if not directory.is_dir():
        raise CorpusError(f"Corpus folder not found: {directory.resolve()}")
    extracted = index_root(settings.retrieval.index_dir)
    ids = {p.stem: p.name for p in directory.iterdir() if p.suffix.lower() in DOCUMENT_SUFFIXES}
    added, refused = 0, 0
    for i, name in enumerate(files, 1):
        path = Path(name)
        report = _report(path, i, len(files), extracted, out)
        problem = "" if report.ok else "refused"
        if report.ok:
            problem = _place(path, directory, ids)
            if problem:
                print(f"refused  {path.name}: {problem}", file=out)
        if problem:
            refused += 1
            continue
        added += 1
    if added:
        print(f"updating the index of {directory} ...", file=out, flush=True)
        assistant = Assistant.from_directory(directory, settings)
        docs = assistant.documents.values()
        passages = sum(len(d.passages) for d in docs)
        write_stamp(
            stamp_path(settings.retrieval.index_dir, directory),
            {"corpus": str(directory.resolve()), "documents": len(docs), "passages": passages},
        )
        print(
            f"index saved: {len(docs)} documents, {passages} passages; running servers load it "
            "within a few seconds",
            file=out,
        )
    print(f"{added} of {len(files)} file(s) added", file=out)
    return 2 if refused else 0


def _report(path: Path, i: int, n: int, extracted: Path, out) -> FileReport:
    print(f"[{i}/{n}] reading {path.name}", file=out, flush=True)
    report = check_file(path, extracted_dir=extracted, progress=reporter(f"  {path.name}"))
    for line in report.lines():
        print(line, file=out)
    out.flush()
    return report


def _place(path: Path, directory: Path, ids: dict[str, str]) -> str:
    """Copy `path` (and its sidecar) into `directory`; return why not, or "" when done."""
    target = directory / path.name
    if target.exists() and target.resolve() == path.resolve():
        return ""  # already the corpus's own file: the index is rebuilt
    if path.stem in ids and ids[path.stem] != path.name:
        return f"the corpus already has a document with id '{path.stem}' ({ids[path.stem]}); rename one"
    if target.exists():
        if filecmp.cmp(path, target, shallow=False):
            return ""
        return f"a different {path.name} is already in the corpus; remove it first or rename this one"
    sidecars = [path.with_suffix(s) for s in METADATA_SUFFIXES if path.with_suffix(s).is_file()]
    try:
        shutil.copyfile(path, target)
        for sidecar in sidecars[:1]:
            shutil.copyfile(sidecar, directory / sidecar.name)
    except OSError as exc:
        return f"cannot copy into {directory} ({exc.strerror or exc})"
    ids[path.stem] = path.name
    return ""


if __name__ == "__main__":
    sys.exit(main())
