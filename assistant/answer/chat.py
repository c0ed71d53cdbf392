"""Chat turns that ask the documents nothing: greetings, thanks, acknowledgements and yes/no replies
("thanks, that's helpful", "ok i see", "yes please"), and, as a first turn, requests for more of nothing
("can you say more?", "go on"). Searching their words quotes whatever sentence shares "see" or "go";
saying there is nothing to look up is the honest reply. Word lists: data/chat_social.txt, chat_more.txt."""

from __future__ import annotations

import re
from functools import lru_cache

from ..language.text import stopwords
from ..language.wordlists import word_set

QUESTION_WORDS = frozenset("what which who whom whose when where why how".split())
# A turn that opens with one of these is a yes/no question ("is it good?", "can i see the plan?").
ASKING_VERBS = frozenset(
    "is are was were am do does did can could should would will shall may might must has have had isn't "
    "aren't wasn't doesn't don't didn't can't couldn't shouldn't won't".split()
)
# "ok, and then?", "yes, and?": these ask for what follows the last answer.
_GOING_ON = frozenset("and then next more else also but after".split())
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*|\d+")


@lru_cache(maxsize=1)
def chat_words() -> dict[str, frozenset[str]]:
    """{group: words}: "social" (data/chat_social.txt) and "more" (data/chat_more.txt)."""
    return {"social": word_set("chat_social.txt"), "more": word_set("chat_more.txt")}


def asks_nothing(question: str, *, first_turn: bool) -> bool:
    """Whether `question` is a chat turn with nothing to look up: only social words (and stop words), not
    a question; or, as the first turn of a conversation, only words asking for more of what came before."""
    words = [w.lower().replace("’", "'") for w in _WORD.findall(question)]
    if not words:
        return False
    stop, groups = stopwords(), chat_words()
    social, more = groups["social"], groups["more"]
    # "that's" and "i'm" are their stop words; any other word with an apostrophe is content.
    split = [w.split("'") for w in words]
    parts = [
        p for w, pieces in zip(words, split, strict=True) for p in (pieces if pieces[0] in stop else [w])
    ]
    if (
        all(p in stop or p in social for p in parts)
        and any(p in social for p in parts)
        and words[0] not in ASKING_VERBS
        and not (QUESTION_WORDS | _GOING_ON).intersection(parts)
    ):
        return True
    return first_turn and all(p in stop or p in social or p in more for p in parts)
