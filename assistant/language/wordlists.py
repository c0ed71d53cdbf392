"""The shipped word lists (assistant/data/*.txt): sets of words (roles, chat words), and pairs of two words
a line (antonyms, spelling variants, stem exceptions). A "#" starts a comment, to the end of its line; in a
list of pairs, a line of another length is skipped."""

from __future__ import annotations

from importlib import resources


def word_set(name: str) -> frozenset[str]:
    """The words of data file `name` ("roles.txt"), any number a line."""
    text = resources.files("assistant").joinpath("data", name).read_text(encoding="utf-8")
    return frozenset(w for line in text.splitlines() for w in line.split("#", 1)[0].split())


def word_pairs(name: str) -> list[tuple[str, str]]:
    """The (first, second) word pairs of data file `name` ("antonyms.txt"), in file order."""
    return parse_pairs(resources.files("assistant").joinpath("data", name).read_text(encoding="utf-8"))


def parse_pairs(text: str) -> list[tuple[str, str]]:
    fields = (line.split("#", 1)[0].split() for line in text.splitlines())
    return [(f[0], f[1]) for f in fields if len(f) == 2]
