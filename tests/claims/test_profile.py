from __future__ import annotations

from propscope.claims.profile import build_profile, count_words
from propscope.types import Span

TEXT = "One two three four five. Six seven eight nine ten."
SENTENCES = [(0, 24), (25, 50)]


def test_sentences_are_what_the_test_says() -> None:
    assert [TEXT[a:b] for a, b in SENTENCES] == [
        "One two three four five.",
        "Six seven eight nine ten.",
    ]


def test_profile_numbers_by_hand() -> None:
    spans = [
        Span(0, 3, "Loaded_Language"),
        Span(4, 7, "Loaded_Language"),
        Span(8, 13, "Doubt"),
    ]
    profile = build_profile(TEXT, spans, SENTENCES, n_claims=4)
    assert profile == {
        "words": 10,
        "technique_counts": {"Doubt": 1, "Loaded_Language": 2},
        "techniques_per_1000_words": 300.0,  # 3 spans / 10 words * 1000
        "share_of_sentences_with_technique": 0.5,  # only the first sentence has spans
        "top_techniques": ["Loaded_Language", "Doubt"],
        "check_worthy_claims": 4,
    }


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
    profile = build_profile(TEXT, spans, SENTENCES, n_claims=0)
    assert profile["top_techniques"] == ["Doubt", "Exaggeration,Minimisation", "Repetition"]
    assert profile["techniques_per_1000_words"] == 700.0
    assert profile["share_of_sentences_with_technique"] == 1.0
    assert list(profile["technique_counts"]) == sorted(profile["technique_counts"])


def test_a_span_across_a_sentence_boundary_counts_for_both() -> None:
    profile = build_profile(TEXT, [Span(19, 29, "Doubt")], SENTENCES, n_claims=1)
    assert profile["share_of_sentences_with_technique"] == 1.0


def test_touching_is_not_overlapping() -> None:
    # the span ends where the second sentence starts (end is exclusive)
    profile = build_profile(TEXT, [Span(20, 25, "Doubt")], SENTENCES, n_claims=1)
    assert profile["share_of_sentences_with_technique"] == 0.5


def test_rounding() -> None:
    text = "a b c"
    sentences = [(0, 1), (2, 3), (4, 5)]
    profile = build_profile(text, [Span(0, 1, "Doubt")], sentences, n_claims=0)
    assert profile["techniques_per_1000_words"] == 333.33  # 1 / 3 * 1000
    assert profile["share_of_sentences_with_technique"] == 0.3333


def test_empty_text() -> None:
    assert build_profile("", [], [], n_claims=0) == {
        "words": 0,
        "technique_counts": {},
        "techniques_per_1000_words": 0.0,
        "share_of_sentences_with_technique": 0.0,
        "top_techniques": [],
        "check_worthy_claims": 0,
    }


def test_word_count() -> None:
    assert count_words("don't U.S. 3,400 well-known") == 4
    assert count_words("  ...  ---  ") == 0
    assert count_words("Привет мир, 世界") == 3
