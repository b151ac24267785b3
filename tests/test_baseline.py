"""The built-in baselines: their spans must have exact offsets."""

from __future__ import annotations

from propscope.baseline import LexiconModel, LinesModel
from propscope.types import Span


def test_lines_model_one_span_per_non_empty_line_trimmed() -> None:
    text = "Title\n\n  indented line \t\nlast line without newline"
    spans = LinesModel().detect(text)
    assert [(s.start, s.end) for s in spans] == [(0, 5), (9, 22), (25, 50)]
    assert [s.text_in(text) for s in spans] == [
        "Title",
        "indented line",
        "last line without newline",
    ]
    assert {s.technique for s in spans} == {"Loaded_Language"}


def test_lines_model_keeps_the_bom_inside_the_first_span() -> None:
    text = "\ufeffTitle\n\nBody.\n"
    spans = LinesModel().detect(text)
    assert [(s.start, s.end) for s in spans] == [(0, 6), (8, 13)]


def test_lines_model_counts_crlf_line_ends() -> None:
    text = "one\r\ntwo\r\n"
    assert [s.text_in(text) for s in LinesModel().detect(text)] == ["one", "two"]


def test_lines_model_ends_lines_at_every_line_break() -> None:
    """CR alone, U+2028, U+2029, NEL, VT and FF end a line as \n does (issue #14)."""
    text = "one\rtwo\u2028three\u2029four\x85five\vsix\fseven \r\n eight"
    assert [s.text_in(text) for s in LinesModel().detect(text)] == [
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
    ]


def test_lines_model_classify() -> None:
    assert LinesModel().classify("abc", [(0, 1), (1, 3)]) == [
        ("Loaded_Language", 1.0),
        ("Loaded_Language", 1.0),
    ]


def test_lexicon_model_word_boundaries_and_case() -> None:
    text = "Outrageous! The evildoers were evil. THUGS everywhere."
    spans = LexiconModel().detect(text)
    assert [(s.text_in(text), s.technique) for s in spans] == [
        ("Outrageous", "Loaded_Language"),
        ("evil", "Loaded_Language"),  # not inside "evildoers"
        ("THUGS", "Name_Calling,Labeling"),
    ]


def test_lexicon_model_can_return_overlapping_spans_of_different_techniques() -> None:
    text = "This is fake news."
    spans = LexiconModel().detect(text)
    assert spans == [Span(8, 12, "Loaded_Language", 0.5), Span(8, 17, "Name_Calling,Labeling", 0.5)]


def test_lexicon_model_classify_defaults_to_loaded_language() -> None:
    text = "Our country is great. It is raining."
    labels = LexiconModel().classify(text, [(0, 11), (22, 36)])
    assert labels == [("Flag-Waving", 0.5), ("Loaded_Language", 0.5)]
