"""The shipped word lists of two words a line (assistant/data/*.txt): antonyms, spelling variants,
stem exceptions. A "#" starts a comment, to the end of its line; a line of another length is skipped."""

from __future__ import annotations

from importlib import resources


def word_pairs(name: str) -> list[tuple[str, str]]:
    """The (first, second) word pairs of data file `name` ("antonyms.txt"), in file order."""
    return parse_pairs(resources.files("assistant").joinpath("data", name).read_text(encoding="utf-8"))


def parse_pairs(text: str) -> list[tuple[str, str]]:
    fields = (line.split("#", 1)[0].split() for line in text.splitlines())
    return [(f[0], f[1]) for f in fields if len(f) == 2]
