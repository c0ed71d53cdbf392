"""The confidence model's evidence: what it reads from a question and the sentence that would answer it."""

from __future__ import annotations

from assistant import Assistant, Document
from assistant.answer.candidates import _inside_names, _lower_terms
from assistant.answer.kinds import expected_type, has_type
from assistant.config import Settings, apply_overrides
from assistant.language.text import Analyzer

TEXT = (
    "The society was founded in Ismailiyah in 1928 by Hassan al Banna. "
    "Its members ran schools, clinics and newspapers across the region."
)


def _ask(question: str):
    assistant = Assistant([Document.from_paragraphs("d", [TEXT])])
    return assistant.ask(question)


def test_a_question_about_non_x_does_not_match_a_sentence_about_x():
    plain = _ask("When was the society founded?")
    swapped = _ask("When was the non-society founded?")
    assert plain.evidence["features"]["negation_mismatch"] == 0.0
    assert swapped.evidence["features"]["negation_mismatch"] == 1.0
    assert swapped.evidence["confidence"] < plain.evidence["confidence"]
    assert plain.status == "answered"
    assert swapped.status == "not_found"


def test_non_in_both_question_and_sentence_is_no_mismatch():
    assistant = Assistant(
        [Document.from_paragraphs("d", ["The non-local networks were joined in 1985 by gateways."])]
    )
    answer = assistant.ask("When were the non-local networks joined?")
    assert answer.evidence["features"]["negation_mismatch"] == 0.0


def test_a_name_or_number_counts_as_present_only_as_a_whole_word():
    assistant = Assistant(
        [
            Document.from_paragraphs(
                "d", ["In 1990 DECnet Phase II became an open standard with published specifications."]
            )
        ]
    )
    swapped = assistant.ask("What did DECnet Phase I become in 19?")
    assert swapped.evidence["features"]["caps_missing_sentence"] == 1.0  # "I" is not in "II"
    assert swapped.evidence["features"]["nums_missing_sentence"] == 1.0  # "19" is not in "1990"
    plural = assistant.ask("What did DECnet Phase II become in 1990?")
    assert plural.evidence["features"]["caps_missing_sentence"] == 0.0
    assert plural.evidence["features"]["nums_missing_sentence"] == 0.0


def test_a_number_in_words_is_the_same_number_as_in_digits():
    text = "The date of the poll may be varied by up to one month by the Presiding Officer."
    assistant = Assistant([Document.from_paragraphs("d", [text])])
    other = assistant.ask("Who may vary the date of the poll by up to three months?")
    assert other.evidence["features"]["nums_missing_sentence"] == 1.0  # "three" is not "one"
    same = assistant.ask("Who may vary the date of the poll by up to 1 month?")
    assert same.evidence["features"]["nums_missing_sentence"] == 1.0  # "one" is no number word
    assistant = Assistant([Document.from_paragraphs("d", [text.replace("one month", "3 months")])])
    digits = assistant.ask("Who may vary the date of the poll by up to three months?")
    assert digits.evidence["features"]["nums_missing_sentence"] == 0.0
    assert Analyzer().terms("five times") == Analyzer().terms("5 times")


def test_an_acronym_or_possessive_is_named_by_its_long_or_plain_form():
    text = "The date of the poll may be varied by the Presiding Officer, as in the U.S. and in France."
    assistant = Assistant([Document.from_paragraphs("d", [text])])
    features = assistant.ask("Who in France's system may vary the PO's poll date, as in the US?").evidence[
        "features"
    ]
    assert features["caps_missing_sentence"] == 0.0
    features = assistant.ask("May the PM vary the poll date, as in Spain?").evidence["features"]
    assert features["caps_missing_sentence"] == 2.0
    text = "A 2005 study by the U.S. Centers for Disease Control reported that 16% of males were abused."
    assistant = Assistant([Document.from_paragraphs("d", [text])])
    features = assistant.ask("What did the 2005 CDC study find?").evidence["features"]
    assert features["caps_missing_sentence"] == 0.0  # small words between the capitalised ones


def test_a_count_question_is_answered_only_from_a_sentence_with_a_number():
    text = "MAPPA manages sex offenders in the community across England. Last year it managed 60,000 people."
    answer = Assistant([Document.from_paragraphs("d", [text])]).ask(
        "How many sex offenders does MAPPA manage in the community?"
    )
    assert "60,000" in answer.candidate_text
    assert "across England" not in answer.candidate_text


def test_an_entry_of_the_reference_list_is_never_the_answer():
    text = (
        "Treatment\n\nSome treatment programmes for offenders were run by probation in the 1980s.\n\n"
        "References\n\nBeckett, R., Beech, A. (1994) Community-Based Treatment for Sex Offenders: "
        "an evaluation of seven treatment programmes. London: Home Office.\n"
    )
    doc = Document.from_text("d", text)
    assert doc.passages[-1].kind == "reference"
    answer = Assistant([doc]).ask("When was community based treatment for sex offenders evaluated?")
    assert answer.candidates, "the treatment sentence is still a candidate"
    assert all("Beckett" not in c.quote for c in answer.candidates)
    assert any(p.passage_id == doc.passages[-1].passage_id for p in answer.passages)


def test_a_question_about_when_something_happened_needs_a_date_or_time():
    text = (
        "The service will now roll out one treatment programme across prisons and the community. "
        "The first pilot ran in 2009 in two prisons."
    )
    assistant = Assistant([Document.from_paragraphs("d", [text])])
    past = assistant.ask("When did the service roll out the treatment programme?")
    assert "roll out one treatment programme" not in past.candidate_text
    assert past.status == "not_found"
    # "When should ...?" may be answered by a condition, not a date: no such rule.
    text = "Staff should share information when a child is at risk of significant harm."
    should = Assistant([Document.from_paragraphs("d", [text])]).ask("When should staff share information?")
    assert should.status == "answered"


def test_a_name_of_several_words_weighs_about_one_word():
    doc = Document.from_paragraphs(
        "d",
        [
            "The Sex Offender Treatment Programme was accredited in 1992 by the Prison Service.",
            "Volunteers were trained over six weeks in the north of England.",
        ],
    )
    assistant = Assistant([doc])
    asked = assistant.ask("When was the Sex Offender Treatment Programme accredited?")
    assert asked.status == "answered" and "1992" in asked.answer
    # Only the name is in the text, not what is asked about it: repeating the name is not an answer.
    other = assistant.ask("Who designed the Sex Offender Treatment Programme?")
    assert other.status == "not_found"
    assert other.evidence["features"]["coverage"] < 0.6


def test_words_carried_from_an_earlier_turn_are_not_the_question_own_words():
    doc = Document.from_paragraphs(
        "d", ["The scheme was set up in 2003 by the Home Office to support families."]
    )
    answer = Assistant([doc]).ask("When was it set up?", ["Why did the council never fund the scheme?"])
    assert "never" in answer.resolved_question  # carried as topic ...
    assert answer.evidence["features"]["question_negated"] == 0.0  # ... but not a negation of this question
    assert answer.evidence["features"]["negation_mismatch"] == 0.0
    assert answer.status == "answered" and "2003" in answer.answer


NAMES = [
    "Recent progress includes the Family Support Network, the National Young Offender Panel and the "
    "Safer Homes Programme.",
    "Volunteers visit each family weekly and report to the panel.",
    "Funding for the Safer Homes Programme comes from the council.",
]


def test_words_inside_other_names_do_not_answer_the_question():
    # "support", "young" and "offenders" are in the sentence only inside names of other things.
    question = "How are young offenders given support?"
    doc = Document.from_paragraphs("d", NAMES)
    without = Assistant([doc], apply_overrides(Settings(), ["answer.inner_name_credit=1"])).ask(question)
    assert without.status == "answered"  # what the discount prevents
    answer = Assistant([doc]).ask(question)
    assert answer.status == "not_found"
    assert answer.evidence["confidence"] < without.evidence["confidence"]


def test_a_name_first_and_last_words_still_match():
    analyzer = Analyzer()
    inner = _inside_names("The Criminal Justice Act 2003 set up the Family Support Network.", analyzer)
    assert inner == {"justic", "support"}  # "act", "network" and "criminal" say what the names are
    assert _lower_terms("Which act set up the Family Support Network?", analyzer) == {"act", "set"}
    assert "cosa" not in _lower_terms("COSA support?", analyzer)
    assert "support" in _lower_terms("Support for families?", analyzer)


def test_a_ranking_question_is_not_answered_by_a_sentence_that_ranks_nothing():
    doc = Document.from_paragraphs(
        "d",
        [
            "More needs to be understood about the treatment of female offenders and internet offenders.",
            "Cognitive behavioural treatment is most effective with adult male offenders.",
        ],
    )
    assistant = Assistant([doc])
    # With a sentence that ranks, it is the candidate, and it lacks "female".
    assert assistant.ask("Which treatment works best for female offenders?").status == "not_found"
    only = Assistant([Document.from_paragraphs("d", doc.text.split("\n\n")[:1])])
    female = only.ask("Which treatment works best for female offenders?")
    assert female.status == "not_found"
    assert female.evidence["no_ranking"] is True
    assert female.candidates == ()
    male = assistant.ask("Which treatment is best for adult male offenders?")
    assert male.status == "answered"
    assert "most effective" in male.answer


def test_an_un_word_against_its_plain_form_is_an_antonym_except_in_a_yes_no_question():
    doc = Document.from_paragraphs(
        "d",
        [
            "The language is the set of all connected graphs in the decision problem.",
            "Provision of treatment services for young people remains patchy and uncoordinated.",
        ],
    )
    assistant = Assistant([doc])
    plain = assistant.ask("What is the set of all connected graphs?")
    swapped = assistant.ask("What is the set of all unconnected graphs?")
    assert plain.evidence["features"]["antonym"] == 0.0
    assert swapped.evidence["features"]["antonym"] == 1.0
    assert swapped.status == "not_found"
    # "Is it coordinated?" is answered by "it remains uncoordinated": the opposite word is the answer.
    yes_no = assistant.ask("Is provision of treatment for young people coordinated?")
    assert yes_no.evidence["features"]["antonym"] == 0.0
    assert yes_no.status == "answered" and "uncoordinated" in yes_no.answer


def test_a_contracted_negation_in_the_question_needs_one_in_the_sentence():
    doc = Document.from_paragraphs(
        "d", ["French trappers travelled throughout the river valleys and traded with local tribes."]
    )
    assistant = Assistant([doc])
    plain = assistant.ask("Where did French trappers travel?")
    contracted = assistant.ask("Where didn't French trappers travel?")
    assert plain.evidence["features"]["negation_mismatch"] == 0.0
    assert contracted.evidence["features"]["negation_mismatch"] == 1.0
    assert plain.status == "answered" and contracted.status == "not_found"
    negated = Document.from_paragraphs("d", ["The trappers did not travel beyond the mountains."])
    both = Assistant([negated]).ask("Where didn't the trappers travel?")
    assert both.evidence["features"]["negation_mismatch"] == 0.0


def test_who_is_answered_by_a_role_as_well_as_by_a_name():
    doc = Document.from_paragraphs(
        "g",
        [
            "If you are worried about a child, tell the designated safeguarding lead straight away. "
            "Write down what you saw and heard.",
            "Home visits are made by two social workers when the risk is high.",
        ],
    )
    assistant = Assistant([doc])
    tell = assistant.ask("Who should I tell if I am worried about a child?")
    assert tell.status == "answered" and "designated safeguarding lead" in tell.answer
    assert tell.evidence["features"]["type_ok"] == 1.0
    visits = assistant.ask("Who makes home visits when the risk is high?")
    assert visits.evidence["features"]["type_ok"] == 1.0 and "social workers" in visits.answer


def test_a_table_header_row_is_context_never_the_answer():
    doc = Document.from_text(
        "c",
        "# Contacts\n\nCall the duty team first.\n\n| Contact | Role | Phone |\n| --- | --- | --- |\n"
        "| Sam Okafor | Independent chair | 01632 960 200 |\n"
        "| Priya Shah | Partnership manager | 01632 960 201 |\n",
        {"title": "Contacts"},
    )
    answer = Assistant([doc]).ask("Which contact role phone?")
    assert "| Contact | Role | Phone |" not in answer.candidate_text
    assert answer.candidate_text.startswith("| Sam Okafor")


def test_a_light_verb_of_the_question_weighs_half():
    doc = Document.from_paragraphs(
        "s",
        [
            "Stage 3: the named professional writes to the head of service.",
            "Stage 4: Unresolved cases go to the independent chair, whose decision is final.",
        ],
    )
    answer = Assistant([doc]).ask("Who makes the final decision?")  # "makes" is not in the answer
    assert answer.status == "answered" and "independent chair" in answer.answer


def test_a_question_asking_for_the_best_prefers_the_sentence_that_ranks():
    text = (
        "A positive therapist and client relationship relates to treatment outcomes for offenders. "
        "Studies have found that cognitive behavioural programmes are most effective."
    )
    answer = Assistant([Document.from_paragraphs("d", [text])]).ask("Which therapy works best for offenders?")
    assert "most effective" in answer.candidate_text
    plain = Assistant([Document.from_paragraphs("d", [text])]).ask("Which therapy helps offenders?")
    assert "therapist" in plain.candidate_text


def test_the_pronoun_i_is_no_name_but_a_roman_one_is():
    text = "Out of hours, phone the Emergency Duty Team on 0161 000 0000."
    assistant = Assistant([Document.from_paragraphs("d", [text])])
    features = assistant.ask("Who should I phone out of hours?").evidence["features"]
    assert features["caps_missing_sentence"] == 0.0
    features = assistant.ask("Who should Team I phone out of hours?").evidence["features"]
    assert features["caps_missing_sentence"] == 1.0  # "Team I", as in "Phase I", names something


def test_failing_to_do_it_answers_a_question_about_not_doing_it():
    text = "Failing to notify the council of a private fostering arrangement is an offence."
    assistant = Assistant([Document.from_paragraphs("d", [text])])
    same = assistant.ask("Is it an offence not to notify the council?")
    assert same.evidence["features"]["negation_mismatch"] == 0.0
    assert same.status == "answered"
    other = assistant.ask("Is it an offence not to visit the council?")
    assert other.evidence["features"]["negation_mismatch"] == 1.0  # another verb is not negated
    contracted = assistant.ask("What happens to carers who don't notify the council?")
    assert contracted.evidence["features"]["negation_mismatch"] == 0.0  # "don't notify": "failing to notify"


def test_a_word_hyphenated_at_a_line_end_is_found_in_the_question():
    # PDF text breaks words at line ends ("con-\ncerns"); the question spells them whole.
    text = (
        "Working with families\n\n"
        "Practitioners should always consider the wider commu-\nnity when planning support for a family.\n"
        "Home visits should be unannounced where there are con-\ncerns about neglect of the\n"
        "children, and the visit is recorded on the same working day.\n"
    )
    answer = Assistant([Document.from_text("d", text)]).ask("What concerns make home visits unannounced?")
    assert answer.status == "answered"
    assert "about neglect" in answer.answer
    assert text[answer.citations[0].start : answer.citations[0].end] == answer.citations[0].quote


def test_a_negation_the_sentence_repeats_is_what_is_asked_about_not_a_negated_question():
    doc = Document.from_paragraphs(
        "s",
        [
            "Sharing confidential information without consent is done only where not sharing it could "
            "be worse than the outcome of having shared it. Records are kept in the office."
        ],
    )
    assistant = Assistant([doc])
    shared = assistant.ask("When can confidential information be shared without consent?")
    assert shared.evidence["features"]["question_negated"] == 0.0
    assert shared.status == "answered" and "only where not sharing" in shared.answer
    # A negation the sentence does not repeat still marks the question as negated.
    other = assistant.ask("Why are records not kept in the office?")
    assert other.evidence["features"]["question_negated"] == 1.0


def test_when_may_questions_are_answered_by_a_condition_as_well_as_by_a_time():
    assert expected_type("When can we share information without consent?") == "occasion"
    assert expected_type("When did the scheme start?") == "date"
    assert has_type("It is shared only where a child is at risk.", "occasion", set())
    assert has_type("Tell the lead within 24 hours.", "occasion", set())
    assert not has_type("Staff share information.", "occasion", set())
    assert not has_type("It is shared only where a child is at risk.", "date", set())


def test_where_is_it_kept_is_answered_by_a_place_in_lower_case():
    assert expected_type("Where are written records of concerns stored?") == "location"
    assert expected_type("Where was the treaty signed?") == "place"
    kept = "These records are signed and kept in the child's personal file."
    assert has_type(kept, "location", {"where", "records", "stored"})
    assert not has_type(kept, "place", {"where", "records", "stored"})
    assert not has_type("Staff make a written record of the disclosure.", "location", {"where", "record"})


def test_a_modal_may_is_no_month_and_a_deadline_needs_a_time():
    assert not has_type("Any change which may affect the children is notified.", "date", set())
    assert has_type("It was set up in May.", "date", set())
    assert expected_type("What is the deadline for notifying Ofsted?") == "date"
    text = (
        "# Liaison with other agencies\n\n"
        "* We notify Ofsted of any change which may affect the well-being of children or where an "
        "allegation is made against a member of staff.\n"
        "Notifications to Ofsted are made as soon as possible, and at the latest within 14 days.\n\n"
        "* We keep a list of local social workers.\n"
    )
    answer = Assistant([Document.from_text("p", text, {"title": "Policy"})]).ask(
        "What is the deadline for notifying Ofsted about an allegation against a staff member?"
    )
    assert "within 14 days" in answer.candidate_text


def test_a_yes_no_question_with_a_negation_may_be_answered_by_a_negated_sentence():
    doc = Document.from_paragraphs(
        "p",
        [
            "It is important to note that, although there may be insufficient evidence to support a "
            "Police prosecution, this does not mean that action cannot be taken to protect a child.",
            "Complaints about the quality of care are dealt with under the complaints procedure.",
        ],
    )
    answer = Assistant([doc]).ask(
        "If there is insufficient evidence for a police prosecution, does that mean nothing can be done?"
    )
    assert answer.evidence["features"]["question_negated"] == 0.0
    assert answer.status == "answered" and "does not mean that action cannot be taken" in answer.answer


def test_an_antonym_matches_in_any_inflection_unless_negated_or_asked_about_too():
    doc = Document.from_paragraphs(
        "d",
        [
            "William Pitt came to power and increased British military resources in the colonies.",
            "The exclusion principle does not permit two electrons to occupy the same state.",
            "Saudi Arabia increased production, shrinking profits for high-cost producers.",
        ],
    )
    assistant = Assistant([doc])

    def antonym(question: str) -> float:
        return assistant.ask(question).evidence["features"]["antonym"]

    # "decreased" against "increased": the list pairs "increase decrease", and stems join the forms.
    assert antonym("Who increased British military resources in the colonies?") == 0.0
    assert antonym("Who decreased British military resources in the colonies?") == 1.0
    assert assistant.ask("Who decreased British military resources in the colonies?").status == "not_found"
    # "does not permit" is "prohibits": a negated opposite is no swap.
    assert antonym("What prohibits two electrons from occupying the same state?") == 0.0
    # The question uses both words of the pair: the sentence's "increased" is what it asks about.
    assert antonym("Why did Saudi Arabia increase production and reduce profits?") == 0.0


def test_unable_in_the_question_is_a_negation_the_sentence_must_share():
    doc = Document.from_paragraphs(
        "d",
        ["Macrophages also act as scavengers, ridding the body of worn-out cells.", "Records are kept."],
    )
    assistant = Assistant([doc])
    plain = assistant.ask("Which cells act as scavengers?")
    negated = assistant.ask("Which cells are unable to act as scavengers?")
    assert plain.evidence["features"]["negation_mismatch"] == 0.0
    assert negated.evidence["features"]["negation_mismatch"] == 1.0
    assert plain.status == "answered" and negated.status == "not_found"


def test_the_organisation_a_document_belongs_to_is_named_by_each_of_its_sentences():
    from assistant import Assistant, Document

    paragraphs = [
        "Safeguarding is the responsibility of each person in the church.",
        "Any abuse suspected should be reported to the Safeguarding Co-ordinator, Lianna Smith.",
        "The elders review this policy every year.",
    ]
    question = "Who do I report a safeguarding concern to at City Evangelical Church?"
    plain = Assistant([Document.from_paragraphs("policy", paragraphs, {"title": "Safeguarding Policy"})])
    owned = Assistant(
        [
            Document.from_paragraphs(
                "policy", paragraphs, {"title": "Safeguarding Policy", "publisher": "City Evangelical Church"}
            )
        ]
    )
    without, with_owner = plain.ask(question), owned.ask(question)
    assert without.evidence["features"]["caps_missing"] == 3.0
    assert with_owner.evidence["features"]["caps_missing"] == 0.0
    assert with_owner.evidence["features"]["phrase_missing"] == 0.0
    assert with_owner.evidence["confidence"] > without.evidence["confidence"]
    assert with_owner.status == "answered" and "Lianna Smith" in with_owner.answer


def test_why_not_is_no_negated_question():
    text = (
        "Accidental trauma can cause bruising. However, the hymen is rarely injured as a result of "
        "accidental trauma due to its anatomical positioning."
    )
    assistant = Assistant([Document.from_paragraphs("d", [text])])
    answer = assistant.ask("Why not?", ["Is the hymen usually injured in accidental trauma?"])
    assert answer.evidence["features"]["negation_mismatch"] == 0.0
    assert answer.status == "answered" and "anatomical positioning" in answer.answer
    # A negation the user asks about still counts.
    other = assistant.ask("Why is the hymen not injured in accidental trauma?")
    assert other.evidence["features"]["question_negated"] == 1.0


def test_a_sentence_the_document_repeats_is_quoted_once():
    said = "By adulthood, 26% of girls and 5% of boys experience sexual abuse."
    doc = Document.from_paragraphs("d", [f"{said} {said}", "Most abuse is never reported."])
    answer = Assistant([doc]).ask("By adulthood, how many girls and boys experience sexual abuse?")
    assert answer.answer.count("26% of girls") == 1


def test_each_model_weighs_the_features_it_was_fitted_on():
    import math

    from assistant.answer.confidence import (
        CHECKER_FEATURES,
        CHECKER_WEIGHTS,
        CONFIDENCE_WEIGHTS,
        FEATURES,
        SEMANTIC_FEATURES,
        SEMANTIC_WEIGHTS,
        confidence,
    )

    def expected(weights, names, features):
        z = weights["bias"] + sum(weights[k] * features.get(k, 0.0) for k in names)
        return 1 / (1 + math.exp(-z))

    lexical = {"coverage": 0.8, "matched_share": 0.9, "type_ok": 1.0, "has_type": 1.0}
    dense = {**lexical, "dense": 0.6, "dense_gap": -0.1}
    checked = {**dense, "checked": 0.7}
    assert confidence(lexical) == expected(CONFIDENCE_WEIGHTS, FEATURES, lexical)
    # The encoder's cosine: the model fitted with it (answer.semantic_answers).
    assert confidence(dense) == expected(SEMANTIC_WEIGHTS, SEMANTIC_FEATURES, dense)
    assert confidence(dense) != expected(CONFIDENCE_WEIGHTS, FEATURES, dense)
    # The checker's probability: its own model, which does not weigh the cosine.
    assert confidence(checked) == expected(CHECKER_WEIGHTS, CHECKER_FEATURES, checked)
    assert "dense" not in CHECKER_FEATURES
