"""answer/chat.py: chat turns that ask the documents nothing are told so, and nothing is quoted for them."""

from __future__ import annotations

import pytest

from assistant.answer.chat import asks_nothing, chat_words
from assistant.answer.objects import NOT_FOUND, NOTHING_TO_LOOK_UP
from assistant.language.text import stopwords

SOCIAL = ["hello", "hi there", "good morning", "thanks", "thank you, that helps", "cheers, that's helpful",
          "ok", "okay great", "I see", "got it", "that makes sense", "yes", "yes please", "no thanks", "sure",
          "no that's fine", "right", "bye"]  # fmt: skip
# Words that ask for more of the last answer: nothing to look up only when there is no last answer.
MORE = [
    "can you say more?",
    "tell me more",
    "go on",
    "what else?",
    "what do you mean?",
    "why?",
    "anything else?",
]
QUESTIONS = ["What is COSA?", "Who runs it?", "Is it good?", "is that right?", "ok, and then?", "yes, and?",
             "thanks. what is MAPPA?", "ok. Do we need to inform Ofsted as well?", "Is it cost effective?",
             "MAPPA?", "no, who runs it?", "42", "What does the guidance say about volunteers?",
             "really?", "that one", "so?"]  # fmt: skip


@pytest.mark.parametrize("turn", SOCIAL)
def test_social_turns_ask_nothing_first_or_later(turn):
    assert asks_nothing(turn, first_turn=True)
    assert asks_nothing(turn, first_turn=False)


@pytest.mark.parametrize("turn", MORE)
def test_asking_for_more_asks_nothing_only_as_a_first_turn(turn):
    assert asks_nothing(turn, first_turn=True)
    assert not asks_nothing(turn, first_turn=False)


@pytest.mark.parametrize("turn", QUESTIONS)
def test_questions_and_continuations_are_looked_up(turn):
    assert not asks_nothing(turn, first_turn=False)


def test_the_word_lists_hold_no_stop_word_that_is_not_also_social_and_no_question_word():
    groups = chat_words()
    assert set(groups) == {"social", "more"}
    assert len(groups["social"]) > 40 and len(groups["more"]) > 10
    assert not ({"what", "who", "how", "and", "then"} & (groups["social"] | groups["more"]))
    assert "no" in groups["social"] and "no" in stopwords()


@pytest.mark.parametrize("turn", ["yes", "I see", "go on", "thanks, that's helpful", "sure"])
def test_the_assistant_quotes_nothing_for_them(assistant, turn):
    answer = assistant.ask(turn)
    assert answer.status == NOT_FOUND
    assert (answer.answer, answer.citations, answer.passages) == ("", (), ())
    assert answer.message == NOTHING_TO_LOOK_UP
    assert answer.evidence["asks_nothing"] is True


def test_a_follow_up_asking_for_more_still_carries_the_topic(assistant):
    alone = assistant.ask("why?")
    after = assistant.ask("why?", history=["What is COSA?"])
    assert alone.evidence.get("asks_nothing") is True
    assert "asks_nothing" not in after.evidence
    assert after.resolved_question != after.question  # the earlier topic was carried
