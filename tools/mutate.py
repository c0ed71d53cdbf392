"""Mutation testing of the modules that carry trust (`make mutate`; not part of CI).

Step 1 runs mutmut over TARGETS below (files listed in pyproject.toml [tool.mutmut] only_mutate): each
mutant runs only the fast tests that reach the mutated function (mutmut records which test reaches
which function in one traced run of [tool.mutmut] pytest_add_cli_args_test_selection). It prints
killed / survived / timeout per target with the score killed / (killed + survived), and writes every
survivor with its diff to mutation-results/survivors.md.

Step 2 applies the three deliberate bugs the suite once let through, one at a time, to a copy of the
tree, and runs the test named to kill each: it must fail.

    python tools/mutate.py            # a fresh run (mutants/ is rebuilt)
    python tools/mutate.py --keep     # reuse mutmut's results for functions that did not change
    python tools/mutate.py --named-only
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from fnmatch import fnmatch
from itertools import chain
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUTMUT = Path(sys.executable).with_name("mutmut")
OUT = ROOT / "mutation-results"  # gitignored; pytest-playwright empties test-results/ when it starts
REPORT = OUT / "survivors.md"
COLUMNS = ("killed", "survived", "timeout")
# What is mutated: a whole module, or the functions of a larger module that make the decision.
# mutmut names a mutant module.x_function__mutmut_N (a method: module.xǁClassǁmethod__mutmut_N).
TARGETS = {
    "web/security.py": ("web.security.*",),
    "web/errors.py": ("web.errors.*",),
    "web/validation.py": ("web.validation.*",),
    "evaluation/scoring.py": ("evaluation.scoring.*",),
    "evaluation/metrics.py": ("evaluation.metrics.*",),
    "assistant/answer/objects.py (citations)": ("assistant.answer.objects.*",),
    "assistant/answer/quoting.py": ("assistant.answer.quoting.*",),
    "not-found decision": (
        "assistant.answer.confidence.x_confidence__mutmut_*",
        "assistant.pipeline.xǁAssistantǁ_decide__mutmut_*",
        "assistant.pipeline.x__leaves_open__mutmut_*",
        "assistant.pipeline.x__misses_what_is_asked__mutmut_*",
    ),
    "saved-index key": (
        "assistant.retrieve.store.x_index_key__mutmut_*",
        "assistant.retrieve.index.x__fingerprint__mutmut_*",
        "assistant.retrieve.index.x__code_digest__mutmut_*",
        "assistant.retrieve.index.x_keyed_files__mutmut_*",
    ),
}


@dataclass(frozen=True)
class Named:
    """A deliberate bug: replace `old` with `new` in `path`; `test` must then fail."""

    what: str
    path: str
    old: str
    new: str
    test: str


NAMED = (
    Named(
        "X-Frame-Options dropped from the security headers",
        "web/security.py",
        '    "X-Frame-Options": "DENY",\n',
        "",
        "tests/api/test_api_routes.py::test_security_headers_on_every_response",
    ),
    Named(
        "the CSP trimmed to default-src 'self'",
        "web/security.py",
        "\"default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'\"",
        "\"default-src 'self'\"",
        "tests/api/test_api_routes.py::test_security_headers_on_every_response",
    ),
    Named(
        "an open_question reply to an unanswerable question counted as a right NoAns",
        "evaluation/scoring.py",
        '        if status == NOT_FOUND:\n            return Verdict(True, 1.0, "")',
        '        if status in (NOT_FOUND, OPEN_QUESTION):\n            return Verdict(True, 1.0, "")',
        "tests/test_scoring.py::test_only_not_found_counts_as_a_right_noans",
    ),
    Named(
        "a refusal (status error) on an unanswerable question counted as a right NoAns",
        "evaluation/scoring.py",
        '        if status == NOT_FOUND:\n            return Verdict(True, 1.0, "")',
        '        if status in (NOT_FOUND, ERROR):\n            return Verdict(True, 1.0, "")',
        "tests/test_scoring.py::test_only_not_found_counts_as_a_right_noans",
    ),
    Named(
        "an engine that refuses every question (QueryError)",
        "assistant/pipeline.py",
        "def _check_question(question) -> str:\n",
        'def _check_question(question) -> str:\n    raise QueryError("refused")\n',
        "tests/robustness/test_properties.py::"
        "test_ask_refuses_only_unreadable_or_overlong_questions_and_answers_the_rest",
    ),
)
# What the named step copies: the tracked tree the tests need.
TREE = (
    "assistant",
    "web",
    "evaluation",
    "tests",
    "corpus",
    "questions",
    "benchmarks",
    "evaluate.py",
    "pyproject.toml",
)


def target_of(mutant: str, targets: dict[str, tuple[str, ...]]) -> str | None:
    """The target a mutant belongs to (None: its module is mutated for another target)."""
    return next((t for t, pats in targets.items() if any(fnmatch(mutant, p) for p in pats)), None)


def run_mutmut(keep: bool, targets: dict[str, tuple[str, ...]]) -> float:
    if not keep:
        shutil.rmtree(ROOT / "mutants", ignore_errors=True)
    log = OUT / "mutmut-run.log"
    log.parent.mkdir(exist_ok=True)
    started = time.perf_counter()
    with log.open("w", encoding="utf-8") as out:
        rc = subprocess.call(
            [str(MUTMUT), "run", "--max-children", str(os.cpu_count() or 2), *chain(*targets.values())],
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    elapsed = time.perf_counter() - started
    if rc != 0:
        sys.exit(f"mutmut run failed (exit {rc}); its output is in {log.relative_to(ROOT)}")
    return elapsed


def results() -> dict[str, str]:
    out = subprocess.run(
        [str(MUTMUT), "results", "--all", "true"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    found = {}
    for line in out.splitlines():
        name, sep, status = line.strip().rpartition(": ")
        if sep and "__mutmut_" in name:
            found[name] = status
    return found


def summarise(found: dict[str, str], elapsed: float | None, targets: dict[str, tuple[str, ...]]) -> int:
    by_module: dict[str, Counter] = defaultdict(Counter)
    survivors: dict[str, list[str]] = defaultdict(list)
    for name, status in sorted(found.items()):
        module = target_of(name, targets)
        if module is None:
            continue
        by_module[module][status] += 1
        if status == "survived":
            survivors[module].append(name)
    print(f"\n{'target':<42}{'killed':>8}{'survived':>10}{'timeout':>9}{'other':>7}{'score':>8}")
    lowest = 1.0
    for module, counts in sorted(by_module.items()):
        other = sum(n for status, n in counts.items() if status not in COLUMNS)
        judged = counts["killed"] + counts["survived"]
        score = counts["killed"] / judged if judged else None
        lowest = min(lowest, 0.0 if score is None else score)
        row = "".join(f"{counts[c]:>{w}}" for c, w in zip(COLUMNS, (8, 10, 9), strict=True))
        print(f"{module:<42}{row}{other:>7}{'n/a' if score is None else f'{score:.1%}':>8}")
    others = Counter(s for n, s in found.items() if s not in COLUMNS and target_of(n, targets))
    if others:
        print("other: " + ", ".join(f"{n} {s}" for s, n in sorted(others.items())))
    if elapsed is not None:
        print(f"mutmut run: {elapsed / 60:.1f} min on {os.cpu_count()} cores")
    REPORT.parent.mkdir(exist_ok=True)
    lines = ["# Surviving mutants", "", "From `make mutate`; `mutmut show NAME` prints one again.", ""]
    for module, names in sorted(survivors.items()):
        lines += [f"## {module} ({len(names)})", ""]
        for name in names:
            diff = subprocess.run(
                [str(MUTMUT), "show", name], cwd=ROOT, capture_output=True, text=True
            ).stdout
            changed = [x for x in diff.splitlines() if x[:1] in "+-" and x[:3] not in ("+++", "---")]
            lines += [f"- `{name}`", "", "```diff", *changed, "```", ""]
    REPORT.write_text("\n".join(lines), encoding="utf-8")
    print(f"survivors: {sum(map(len, survivors.values()))}, written to {REPORT.relative_to(ROOT)}")
    return 0 if lowest >= 0.9 else 1


def run_named() -> int:
    failures = 0
    with tempfile.TemporaryDirectory(prefix="named-mutants-") as tmp:
        tree = Path(tmp)
        for name in TREE:
            src = ROOT / name
            if src.is_dir():
                shutil.copytree(src, tree / name, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copy2(src, tree / name)
        for bug in NAMED:
            target = tree / bug.path
            original = target.read_text(encoding="utf-8")
            if original.count(bug.old) != 1:
                print(f"CANNOT APPLY  {bug.what}: the text to replace is not in {bug.path} exactly once")
                failures += 1
                continue
            target.write_text(original.replace(bug.old, bug.new), encoding="utf-8")
            try:
                rc = subprocess.call(
                    [sys.executable, "-m", "pytest", "-q", "-x", bug.test],
                    cwd=tree,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    env=os.environ | {"PYTHONDONTWRITEBYTECODE": "1"},
                )
            finally:
                target.write_text(original, encoding="utf-8")
            verdict = "killed  " if rc == 1 else "SURVIVED" if rc == 0 else f"ERROR {rc}"
            failures += rc != 1
            print(f"{verdict}  {bug.what}\n          by {bug.test}")
    return failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--keep", action="store_true", help="reuse mutants/ and mutmut's cached results")
    parser.add_argument("--named-only", action="store_true", help="only the named deliberate bugs")
    parser.add_argument("--only", nargs="+", metavar="TARGET", help="targets whose name starts so")
    parser.add_argument("--report-only", action="store_true", help="summarise the last run again")
    args = parser.parse_args(argv)
    targets = {t: p for t, p in TARGETS.items() if not args.only or t.startswith(tuple(args.only))}
    if not targets:
        parser.error(f"--only matches none of: {', '.join(TARGETS)}")
    status = 0
    if args.report_only:
        return summarise(results(), None, targets)
    if not args.named_only:
        elapsed = run_mutmut(args.keep, targets)
        status |= summarise(results(), elapsed, targets)
    print("\nNamed mutations (each must fail its test):")
    status |= run_named() != 0
    return status


if __name__ == "__main__":
    sys.exit(main())
