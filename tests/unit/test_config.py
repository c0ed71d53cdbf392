"""config.py: defaults in code, one optional YAML file, overrides, and clear ConfigErrors."""

from __future__ import annotations

import pytest

from assistant.config import CONFIG_ENV, Settings, apply_overrides, load_settings
from assistant.errors import ConfigError


@pytest.fixture
def no_config(monkeypatch, tmp_path):
    """Run in an empty folder with no $ASSISTANT_CONFIG, so no config file is found."""
    monkeypatch.delenv(CONFIG_ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def config_file(tmp_path):
    def write(content: str):
        path = tmp_path / "settings.yaml"
        path.write_text(content, encoding="utf-8")
        return path

    return write


def test_defaults_without_a_file(no_config):
    settings = load_settings()
    assert settings == Settings()
    assert (settings.retrieval.variant, settings.retrieval.k1, settings.answer.max_words) == (
        "okapi",
        1.2,
        70,
    )


def test_config_yaml_in_the_working_folder_is_read(no_config):
    (no_config / "config.yaml").write_text("retrieval:\n  top_k: 9\n", encoding="utf-8")
    assert load_settings().retrieval.top_k == 9


@pytest.mark.parametrize("content", ["", "# only a comment\n", "retrieval:\n"])
def test_an_empty_file_or_section_keeps_the_defaults(config_file, content):
    assert load_settings(config_file(content)) == Settings()


def test_a_file_overrides_only_what_it_lists(config_file):
    settings = load_settings(
        config_file("retrieval:\n  k1: 2\n  variant: plus\nweb:\n  starter_questions: ['A?', 'B?']\n")
    )
    assert settings.retrieval.k1 == 2.0 and isinstance(settings.retrieval.k1, float)
    assert settings.retrieval.variant == "plus"
    assert settings.web.starter_questions == ("A?", "B?")
    assert settings.retrieval.b == Settings().retrieval.b
    assert settings.answer == Settings().answer


def test_an_explicit_missing_file_is_an_error(tmp_path):
    missing = tmp_path / "missing.yaml"
    with pytest.raises(ConfigError, match="not found") as info:
        load_settings(missing)
    assert str(missing) in str(info.value)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("retrieval: {k1: [unclosed", "is not valid YAML"),
        ("\tretrieval: tab", "is not valid YAML"),
        ("- a list\n- of things\n", "must be a mapping of sections, got list"),
        ("search:\n  k1: 1\n", "unknown section 'search' (expected one of: corpus, retrieval, answer, web)"),
        ("retrieval: [1, 2]\n", "section 'retrieval' must be a mapping"),
        ("retrieval:\n  kk: 1\n", "unknown key 'retrieval.kk' (expected one of: variant, k1, b,"),
    ],
    ids=["bad-yaml", "tab", "not-a-mapping", "unknown-section", "section-not-a-mapping", "unknown-key"],
)
def test_malformed_files_are_config_errors(config_file, content, message):
    path = config_file(content)
    with pytest.raises(ConfigError) as info:
        load_settings(path)
    assert message in str(info.value)
    assert path.name in str(info.value)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("retrieval: {k1: fast}", "'retrieval.k1' must be a number, got str 'fast'"),
        ("retrieval: {top_k: 2.5}", "'retrieval.top_k' must be an integer, got float 2.5"),
        ("retrieval: {top_k: true}", "'retrieval.top_k' must be an integer, got bool True"),
        ("retrieval: {stopwords: 1}", "'retrieval.stopwords' must be true or false, got int 1"),
        ("answer: {follow_ups: 'yes'}", "'answer.follow_ups' must be true or false"),
        ("corpus: {path: 5}", "'corpus.path' must be a string, got int 5"),
        ("web: {starter_questions: [1]}", "'web.starter_questions' must be a list of strings"),
    ],
)
def test_wrong_types_name_the_key_and_the_expected_type(config_file, content, message):
    with pytest.raises(ConfigError) as info:
        load_settings(config_file(content))
    assert message in str(info.value)


@pytest.mark.parametrize(
    ("content", "choices"),
    [
        ("retrieval: {variant: bm42}", "'retrieval.variant' must be one of okapi, plus, l, got 'bm42'"),
        ("retrieval: {stemmer: lancaster}", "'retrieval.stemmer' must be one of porter, snowball, none"),
        ("retrieval: {backend: faiss}", "'retrieval.backend' must be one of auto, rank_bm25, sparse"),
        ("corpus: {on_error: maybe}", "'corpus.on_error' must be one of error, skip"),
    ],
)
def test_invalid_choices_list_the_choices(config_file, content, choices):
    with pytest.raises(ConfigError) as info:
        load_settings(config_file(content))
    assert choices in str(info.value)


def test_a_negative_expansion_count_is_refused_and_zero_turns_expansion_off(config_file):
    with pytest.raises(ConfigError) as info:
        load_settings(config_file("answer: {expand_per_term: -1}"))
    assert "'answer.expand_per_term' must be an integer of at least 0, got -1" in str(info.value)
    assert load_settings(config_file("answer: {expand_per_term: 0}")).answer.expand_per_term == 0


# ---------------------------------------------------------------- apply_overrides


def test_overrides_are_parsed_as_yaml_scalars():
    settings = apply_overrides(
        Settings(),
        [
            "retrieval.k1=1.6",
            "retrieval.top_k=7",
            "answer.follow_ups=false",
            "retrieval.variant=plus",
            "web.title=Hello world",
        ],
    )
    assert settings.retrieval.k1 == 1.6
    assert settings.retrieval.top_k == 7
    assert settings.answer.follow_ups is False
    assert settings.retrieval.variant == "plus"
    assert settings.web.title == "Hello world"


def test_overrides_apply_on_top_of_the_given_settings_and_the_last_one_wins():
    base = apply_overrides(Settings(), ["retrieval.b=0.5"])
    settings = apply_overrides(base, ["retrieval.k1=1.0", "retrieval.k1=1.4"])
    assert (settings.retrieval.b, settings.retrieval.k1) == (0.5, 1.4)


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ("k1=1", "must look like section.key=value"),
        ("retrieval.k1", "must look like section.key=value"),
        ("retrieval=1", "must look like section.key=value"),
        ("retrieval.=1", "must look like section.key=value"),
        ("retrieval.k1=[1", "has an unreadable value"),
        ("retrieval.k1=abc", "'retrieval.k1' must be a number"),
        ("nosuch.key=1", "unknown section 'nosuch'"),
        ("retrieval.nokey=1", "unknown key 'retrieval.nokey'"),
        ("retrieval.variant=bm42", "must be one of okapi, plus, l"),
    ],
)
def test_malformed_overrides_are_config_errors(item, message):
    with pytest.raises(ConfigError) as info:
        apply_overrides(Settings(), [item])
    assert message in str(info.value)


# ---------------------------------------------------------------- $ASSISTANT_CONFIG


def test_the_environment_variable_names_the_file(no_config, monkeypatch, config_file):
    monkeypatch.setenv(CONFIG_ENV, str(config_file("retrieval:\n  k1: 1.7\n")))
    assert load_settings().retrieval.k1 == 1.7


def test_an_explicit_path_wins_over_the_environment_variable(no_config, monkeypatch, config_file, tmp_path):
    monkeypatch.setenv(CONFIG_ENV, str(config_file("retrieval:\n  k1: 1.7\n")))
    other = tmp_path / "other.yaml"
    other.write_text("retrieval:\n  k1: 0.9\n", encoding="utf-8")
    assert load_settings(other).retrieval.k1 == 0.9


def test_the_environment_variable_naming_a_missing_file_is_an_error(no_config, monkeypatch, tmp_path):
    missing = tmp_path / "gone.yaml"
    monkeypatch.setenv(CONFIG_ENV, str(missing))
    with pytest.raises(ConfigError, match="not found") as info:
        load_settings()
    assert str(missing) in str(info.value)
