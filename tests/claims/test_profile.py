from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

import propscope
from propscope.claims.profile import build_profile, count_words, quoted_sentences
from propscope.claims.quotes import Quote, find_quotes
from propscope.types import Claim, Sentence, Span

TEXT = "One two three four five. Six seven eight nine ten."
SENTENCES = [Sentence(0, 24, 0.25), Sentence(25, 50, 0.5)]
VOICE_KEYS = {
    "words",
    "sentences",
    "technique_counts",
    "techniques_per_1000_words",
    "share_of_sentences_with_technique",
    "top_techniques",
    "check_worthy_claims",
    "mean_sentence_score",
}
TINY = Path(__file__).resolve().parents[1] / "fixtures" / "tiny-model"


def _claims(n: int, quoted: int = 0) -> list[Claim]:
    return [Claim(0, 1, 0.5, quoted=i < quoted) for i in range(n)]


def _whole(profile: dict) -> dict:
    return {k: v for k, v in profile.items() if k not in ("author", "quoted")}


def test_sentences_are_what_the_test_says() -> None:
    assert [TEXT[s.start : s.end] for s in SENTENCES] == [
        "One two three four five.",
        "Six seven eight nine ten.",
    ]


def test_profile_numbers_by_hand() -> None:
    spans = [
        Span(0, 3, "Loaded_Language"),
        Span(4, 7, "Loaded_Language"),
        Span(8, 13, "Doubt"),
    ]
    profile = build_profile(TEXT, spans, SENTENCES, _claims(4))
    assert _whole(profile) == {
        "words": 10,
        "sentences": 2,
        "technique_counts": {"Doubt": 1, "Loaded_Language": 2},
        "techniques_per_1000_words": 300.0,  # 3 spans / 10 words * 1000
        "share_of_sentences_with_technique": 0.5,  # only the first sentence has spans
        "top_techniques": ["Loaded_Language", "Doubt"],
        "check_worthy_claims": 4,
        "mean_sentence_score": 0.375,  # (0.25 + 0.5) / 2
    }
    # no quotes: the author's voice is the whole text, quoted speech is empty
    assert profile["author"] == _whole(profile)
    assert profile["quoted"] == {
        "words": 0,
        "sentences": 0,
        "technique_counts": {},
        "techniques_per_1000_words": 0.0,
        "share_of_sentences_with_technique": 0.0,
        "top_techniques": [],
        "check_worthy_claims": 0,
        "mean_sentence_score": 0.0,
    }


# a quotation (13..43, without its marks) that holds most of the first sentence
QTEXT = 'Smith said: "They are evil thugs and liars." We stay calm and fair.'
QUOTE = Quote(13, 43, 0, 5)
QSENTENCES = [Sentence(0, 44, 0.9), Sentence(45, 67, 0.2)]
QSPANS = [
    Span(22, 26, "Loaded_Language", quoted=True, speaker="Smith"),
    Span(27, 32, "Name_Calling,Labeling", quoted=True, speaker="Smith"),
    Span(53, 57, "Loaded_Language"),
]
QCLAIMS = [Claim(0, 44, 0.7, quoted=True, speaker="Smith"), Claim(45, 67, 0.6)]


def test_quoted_text_is_what_the_test_says() -> None:
    assert QTEXT[QUOTE.start : QUOTE.end] == "They are evil thugs and liars."
    assert [QTEXT[s.start : s.end] for s in QSPANS] == ["evil", "thugs", "calm"]
    assert [QTEXT[s.start : s.end] for s in QSENTENCES] == [
        'Smith said: "They are evil thugs and liars."',
        "We stay calm and fair.",
    ]
    assert find_quotes(QTEXT)[0].start == QUOTE.start
    assert find_quotes(QTEXT)[0].end == QUOTE.end


def test_author_and_quoted_profiles_by_hand() -> None:
    profile = build_profile(QTEXT, QSPANS, QSENTENCES, QCLAIMS, [QUOTE])
    assert profile["author"] == {
        "words": 7,  # Smith said We stay calm and fair
        "sentences": 1,
        "technique_counts": {"Loaded_Language": 1},
        "techniques_per_1000_words": 142.86,  # 1 / 7 * 1000
        "share_of_sentences_with_technique": 1.0,
        "top_techniques": ["Loaded_Language"],
        "check_worthy_claims": 1,
        "mean_sentence_score": 0.2,
    }
    assert profile["quoted"] == {
        "words": 6,  # They are evil thugs and liars
        "sentences": 1,  # 30 of its 44 characters are quoted
        "technique_counts": {"Loaded_Language": 1, "Name_Calling,Labeling": 1},
        "techniques_per_1000_words": 333.33,  # 2 / 6 * 1000
        "share_of_sentences_with_technique": 1.0,
        "top_techniques": ["Loaded_Language", "Name_Calling,Labeling"],
        "check_worthy_claims": 1,
        "mean_sentence_score": 0.9,
    }
    assert _whole(profile) == {
        "words": 13,
        "sentences": 2,
        "technique_counts": {"Loaded_Language": 2, "Name_Calling,Labeling": 1},
        "techniques_per_1000_words": 230.77,  # 3 / 13 * 1000
        "share_of_sentences_with_technique": 1.0,
        "top_techniques": ["Loaded_Language", "Name_Calling,Labeling"],
        "check_worthy_claims": 2,
        "mean_sentence_score": 0.55,
    }
    assert set(profile) == VOICE_KEYS | {"author", "quoted"}
    assert set(profile["author"]) == set(profile["quoted"]) == VOICE_KEYS


def test_a_quoted_span_in_an_author_sentence_counts_for_neither_voice_share() -> None:
    text = 'He called it "a disaster" today, but we stay calm and fair.'
    quote = Quote(14, 24)
    assert text[quote.start : quote.end] == "a disaster"
    span = Span(16, 24, "Loaded_Language", quoted=True)
    p = build_profile(text, [span], [Sentence(0, len(text), 0.5)], [], [quote])
    assert p["share_of_sentences_with_technique"] == 1.0
    assert p["author"]["sentences"] == 1 and p["author"]["share_of_sentences_with_technique"] == 0
    assert p["author"]["technique_counts"] == {}
    assert p["quoted"]["sentences"] == 0 and p["quoted"]["technique_counts"] == {
        "Loaded_Language": 1
    }
    assert p["quoted"]["words"] == 2  # "a", "disaster"
    assert p["quoted"]["share_of_sentences_with_technique"] == 0.0


@pytest.mark.parametrize(
    ("quotes", "quoted"),
    [
        ([(0, 5)], [False, False]),  # 5 of 10: exactly half is not more than half
        ([(0, 6)], [True, False]),  # 6 of 10
        ([(4, 10)], [True, False]),  # 6 of 10, from inside the sentence
        ([(5, 10)], [False, False]),  # 5 of 10
        ([(0, 3), (7, 10)], [True, False]),  # 3 + 3 of 10, two quotes
        ([(0, 3), (5, 7)], [False, False]),  # 3 + 2 of 10
        ([(0, 4), (2, 5)], [False, False]),  # overlapping quotes cover 5, not 7
        ([(0, 4), (2, 6)], [True, False]),  # overlapping quotes cover 6
        ([(0, 4), (4, 6)], [True, False]),  # touching quotes cover 6
        ([(2, 3), (9, 20)], [False, True]),  # the second reaches into the next sentence: 1 + 1
        ([(0, 5), (9, 20)], [True, True]),  # 5 + 1 of 10; 2 of 2
        ([(12, 40)], [False, False]),  # 1 of the second sentence's 2: not more than half
    ],
)
def test_a_sentence_is_quoted_when_quotes_cover_more_than_half(
    quotes: list[tuple[int, int]], quoted: list[bool]
) -> None:
    text = "x" * 10 + " yy"
    sentences = [Sentence(0, 10, 0.4), Sentence(11, 13, 0.8)]
    p = build_profile(text, [], sentences, [], [Quote(a, b) for a, b in quotes])
    assert p["quoted"]["sentences"] == sum(quoted)
    assert p["author"]["sentences"] == 2 - sum(quoted)
    # which ones: each voice's mean is its sentences' score
    scores = [s.score for s, q in zip(sentences, quoted, strict=True) if q]
    assert p["quoted"]["mean_sentence_score"] == (
        round(sum(scores) / len(scores), 4) if scores else 0.0
    )


def test_a_word_is_quoted_when_it_starts_inside_a_quote() -> None:
    text = "alpha beta gamma delta"
    #       0     6    11    17
    cases = [
        ([Quote(6, 10)], 1),  # beta
        ([Quote(7, 10)], 0),  # beta starts before the quote
        ([Quote(5, 6)], 0),  # ends where beta starts (end exclusive)
        ([Quote(4, 7)], 1),  # holds beta's first letter
        ([Quote(6, 12)], 2),  # beta, gamma
        ([Quote(0, 1), Quote(17, 18)], 2),  # alpha, delta
        ([Quote(11, 30), Quote(12, 13)], 2),  # gamma, delta; nested quote counted once
        ([Quote(3, 3)], 0),  # empty
    ]
    for quotes, n in cases:
        p = build_profile(text, [], [], [], quotes)
        assert (p["quoted"]["words"], p["author"]["words"]) == (n, 4 - n), quotes


def test_claims_and_spans_go_by_their_quoted_flag() -> None:
    spans = [Span(0, 3, "Doubt", quoted=True), Span(4, 7, "Doubt"), Span(8, 13, "Slogans")]
    p = build_profile(TEXT, spans, SENTENCES, _claims(5, quoted=2))
    assert p["quoted"]["check_worthy_claims"] == 2
    assert p["author"]["check_worthy_claims"] == 3
    assert p["quoted"]["technique_counts"] == {"Doubt": 1}
    assert p["author"]["technique_counts"] == {"Doubt": 1, "Slogans": 1}
    # no quotes: every word and sentence is the author's, so quoted speech has no words
    assert p["quoted"]["techniques_per_1000_words"] == 0.0
    assert p["author"]["techniques_per_1000_words"] == 200.0


def _naive(text: str, sentences: list[Sentence], quotes: list[Quote]) -> tuple[int, int]:
    inside = set()
    for q in quotes:
        inside.update(range(q.start, q.end))
    words = sum(1 for m in re.finditer(r"\w+(?:['’.,-]\w+)*", text) if m.start() in inside)
    quoted = sum(
        1
        for s in sentences
        if 2 * sum(1 for i in range(s.start, s.end) if i in inside) > s.end - s.start
    )
    return words, quoted


@pytest.mark.parametrize("seed", range(20))
def test_voices_agree_with_a_naive_count_and_add_up(seed: int) -> None:
    rng = random.Random(seed)
    text = " ".join(rng.choice(["ab", "c", "don't", "x.y", "--", "dd"]) for _ in range(80))
    cuts = sorted(rng.sample(range(1, len(text)), 12))
    sentences = [
        Sentence(a, b, rng.random()) for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)
    ]
    quotes = []
    for _ in range(rng.randint(0, 8)):
        a = rng.randrange(len(text))
        quotes.append(Quote(a, min(len(text), a + rng.randint(1, 60))))
    spans = [
        Span(a, a + rng.randint(1, 9), rng.choice(["Doubt", "Slogans"]), quoted=rng.random() < 0.5)
        for a in sorted(rng.sample(range(len(text) - 10), 10))
    ]
    claims = _claims(rng.randint(0, 6), quoted=rng.randint(0, 3))
    p = build_profile(text, spans, sentences, claims, quotes)
    assert (p["quoted"]["words"], p["quoted"]["sentences"]) == _naive(text, sentences, quotes)
    for key in ("words", "sentences", "check_worthy_claims"):
        assert p["author"][key] + p["quoted"][key] == p[key]
    for label in p["technique_counts"]:
        n = sum(p[v]["technique_counts"].get(label, 0) for v in ("author", "quoted"))
        assert n == p["technique_counts"][label]
    assert p["words"] == count_words(text)
    scored = [s.score for s in sentences]
    assert p["mean_sentence_score"] == round(sum(scored) / len(scored), 4)


def test_a_real_analysis_splits_its_profile_by_voice() -> None:
    text = (
        'Smith said: "They are evil thugs and liars, all of them." We stay calm.\n'
        "The council met on Monday in Paris.\n"
    ) * 3
    a = propscope.load(TINY).analyze(text)
    p = a.profile
    quotes = find_quotes(text)
    expect_words, expect_sentences = _naive(text, list(a.sentences), quotes)
    assert expect_words > 0 and 0 < expect_sentences < len(a.sentences)
    assert (p["quoted"]["words"], p["quoted"]["sentences"]) == (expect_words, expect_sentences)
    assert p["sentences"] == len(a.sentences)
    assert p["quoted"]["check_worthy_claims"] == sum(c.quoted for c in a.claims)
    assert p["author"]["check_worthy_claims"] == sum(not c.quoted for c in a.claims)
    assert sum(p["quoted"]["technique_counts"].values()) == sum(s.quoted for s in a.spans)
    assert sum(p["author"]["technique_counts"].values()) == sum(not s.quoted for s in a.spans)
    for key in ("words", "sentences", "check_worthy_claims"):
        assert p["author"][key] + p["quoted"][key] == p[key]
    mean = sum(s.score for s in a.sentences) / len(a.sentences)
    assert p["mean_sentence_score"] == round(mean, 4)
    assert a.to_dict()["profile"]["author"] == p["author"]


def test_top_three_ties_broken_by_label() -> None:
    spans = [
        Span(0, 3, "Repetition"),
        Span(4, 7, "Repetition"),
        Span(8, 13, "Doubt"),
        Span(14, 18, "Doubt"),
        Span(25, 28, "Slogans"),
        Span(29, 34, "Exaggeration,Minimisation"),
        Span(35, 40, "Exaggeration,Minimisation"),
    ]
    profile = build_profile(TEXT, spans, SENTENCES, [])
    assert profile["top_techniques"] == ["Doubt", "Exaggeration,Minimisation", "Repetition"]
    assert profile["techniques_per_1000_words"] == 700.0
    assert profile["share_of_sentences_with_technique"] == 1.0
    assert list(profile["technique_counts"]) == sorted(profile["technique_counts"])


def test_a_span_across_a_sentence_boundary_counts_for_both() -> None:
    profile = build_profile(TEXT, [Span(19, 29, "Doubt")], SENTENCES, _claims(1))
    assert profile["share_of_sentences_with_technique"] == 1.0


def test_touching_is_not_overlapping() -> None:
    # the span ends where the second sentence starts (end is exclusive)
    profile = build_profile(TEXT, [Span(20, 25, "Doubt")], SENTENCES, _claims(1))
    assert profile["share_of_sentences_with_technique"] == 0.5


def test_spans_of_one_sentence_do_not_reach_the_next() -> None:
    # their ends sum past the second sentence's start; the furthest end does not
    spans = [Span(14, 18, "Doubt"), Span(19, 23, "Doubt")]
    assert build_profile(TEXT, spans, SENTENCES, [])["share_of_sentences_with_technique"] == 0.5


def test_rounding() -> None:
    text = "a b c"
    sentences = [Sentence(0, 1, 0.1), Sentence(2, 3, 0.2), Sentence(4, 5, 0.00001)]
    profile = build_profile(text, [Span(0, 1, "Doubt")], sentences, [])
    assert profile["techniques_per_1000_words"] == 333.33  # 1 / 3 * 1000
    assert profile["share_of_sentences_with_technique"] == 0.3333
    assert profile["mean_sentence_score"] == 0.1  # 0.30001 / 3 = 0.100003


def test_empty_text() -> None:
    empty = {
        "words": 0,
        "sentences": 0,
        "technique_counts": {},
        "techniques_per_1000_words": 0.0,
        "share_of_sentences_with_technique": 0.0,
        "top_techniques": [],
        "check_worthy_claims": 0,
        "mean_sentence_score": 0.0,
    }
    assert build_profile("", [], [], []) == {**empty, "author": empty, "quoted": empty}


def test_word_count() -> None:
    assert count_words("don't U.S. 3,400 well-known") == 4
    assert count_words("  ...  ---  ") == 0
    assert count_words("Привет мир, 世界") == 3


def test_quoted_sentences_follow_the_profile_rule() -> None:
    # sentence [0, 10): quote [2, 8) covers 6 of 10 -> quoted; [10, 20): [10, 15) is half -> not
    quotes = [Sentence(2, 8, 0.0), Sentence(10, 15, 0.0)]
    assert quoted_sentences([(0, 10), (10, 20), (20, 22)], quotes) == [True, False, False]
    assert quoted_sentences([(0, 10)], []) == [False]


def test_the_pipeline_marks_sentences_as_the_profile_counts_them() -> None:
    text = 'Smith said: "They are evil thugs and liars." We stay calm.\nThe council met today.\n'
    a = propscope.load(TINY).analyze(text)
    flags = [s.quoted for s in a.sentences]
    assert flags == [True, False, False]
    assert a.profile["quoted"]["sentences"] == sum(flags)
    assert a.profile["author"]["sentences"] == len(flags) - sum(flags)
    assert [s["quoted"] for s in a.to_dict()["sentences"]] == flags
