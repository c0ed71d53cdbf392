"""wordlists.py: the shipped two-word lists are read one way."""

from assistant.language.wordlists import parse_pairs, word_pairs


def test_parse_pairs_skips_comments_blank_and_malformed_lines():
    text = "# a comment\nincrease decrease\n\n  early late  # inline note\none two three\nlonely\n"
    assert parse_pairs(text) == [("increase", "decrease"), ("early", "late")]


def test_every_shipped_pair_file_parses_to_pairs():
    for name in ("antonyms.txt", "spelling_variants.txt", "stem_exceptions.txt"):
        assert len(word_pairs(name)) > 5, name
    assert ("increase", "decrease") in word_pairs("antonyms.txt")
    assert dict(word_pairs("stem_exceptions.txt"))["authorities"] == "authority"
