"""Scores -> spans: thresholds, joining, splitting, whole words, trimming."""

from __future__ import annotations

import math

import numpy as np
import pytest

from propscope.decode.spans import (
    Candidate,
    DecoderConfig,
    calibrate,
    decode_runs,
    extend_span,
    span_probability,
    trim,
)

TEXT = "aa bb cc dd ee"
OFFS = np.array([[0, 2], [3, 5], [6, 8], [9, 11], [12, 14]])


def run(p_in: list[float], p_b: list[float] | None = None, **kw: float) -> list[tuple[int, int]]:
    cfg = DecoderConfig(**kw)  # type: ignore[arg-type]
    pb = np.array(p_b if p_b is not None else [0.0] * len(p_in), dtype=np.float32)
    return [
        (s, e) for s, e, _ in decode_runs(np.array(p_in, dtype=np.float32), pb, OFFS, TEXT, cfg)
    ]


def test_runs_above_threshold() -> None:
    assert run([0.9, 0.8, 0.1, 0.7, 0.2]) == [(0, 5), (9, 11)]
    assert run([0.9, 0.8, 0.1, 0.7, 0.2], threshold=0.75) == [(0, 5)]


def test_gap_joins_runs() -> None:
    assert run([0.9, 0.1, 0.9, 0.1, 0.1], max_gap=1) == [(0, 8)]
    assert run([0.9, 0.1, 0.1, 0.9, 0.1], max_gap=1) == [(0, 2), (9, 11)]


def test_begin_probability_splits_adjacent_spans() -> None:
    assert run([0.9, 0.9, 0.9, 0.0, 0.0], [0.9, 0.1, 0.8, 0, 0], begin_threshold=0.5) == [
        (0, 5),
        (6, 8),
    ]
    assert run([0.9, 0.9, 0.9, 0.0, 0.0], [0.9, 0.1, 0.8, 0, 0], begin_threshold=1.1) == [(0, 8)]


def test_word_pieces_extend_to_whole_words() -> None:
    text = "unbelievable lies"
    offs = np.array([[0, 2], [2, 12], [13, 17]])
    cfg = DecoderConfig(threshold=0.5, min_chars=1)
    out = decode_runs(np.array([0.0, 0.9, 0.0]), np.zeros(3), offs, text, cfg)
    assert [(s, e) for s, e, _ in out] == [(0, 12)]


def test_trim_and_min_chars() -> None:
    assert trim(" .word, ", 0, 8) == (2, 6)
    assert run([0.9, 0, 0, 0, 0], min_chars=3) == []


def test_span_probability_hand_cases() -> None:
    cfg = DecoderConfig(span_a=2.0, span_b=0.5, span_c=-1.0)
    for p_in in (0.0, 0.3, 0.99, 1.0):
        for chars in (0, 1, 40, 10_000):
            assert 0.0 <= span_probability(cfg, p_in, chars) <= 1.0
    assert span_probability(DecoderConfig(), 0.8, 12) == pytest_approx(0.8)  # identity
    # z = 2 * logit(0.75) + 0.5 * log(9) - 1 = 2 log 3 + log 3 - 1 = 3 log 3 - 1
    want = 1 / (1 + math.exp(-(3 * math.log(3) - 1)))
    assert span_probability(cfg, 0.75, 9) == pytest_approx(want)


def test_calibrate_gives_two_probabilities_and_drops_spans_below_min_score() -> None:
    cands = [Candidate(0, 4, "Doubt", 0.9, 0.6), Candidate(5, 9, "Slogans", 0.3, 0.8)]
    got = calibrate(cands, DecoderConfig(min_score=0.5))
    assert [(s.start, s.end, s.technique) for s in got] == [(0, 4, "Doubt")]
    assert got[0].score == pytest_approx(0.9) and got[0].technique_score == pytest_approx(0.6)
    assert len(calibrate(cands, DecoderConfig())) == 2


def test_extend_span_to_clause_and_sentence() -> None:
    text = "He said, as always, that the plan will fail. Then he left.\nNext line."
    s = text.index("plan")
    e = s + len("plan")
    cs, ce = extend_span(text, s, e, "clause")
    assert text[cs:ce] == "that the plan will fail"  # trimmed like PTC's spans
    ss, se = extend_span(text, s, e, "sentence")
    assert text[ss:se] == "He said, as always, that the plan will fail"
    t = text.index("Then")
    assert text[slice(*extend_span(text, t, t + 4, "sentence"))] == "Then he left"  # not past \n
    n = text.index("Next")
    assert text[slice(*extend_span(text, n, n + 4, "clause"))] == "Next line"


def test_decoder_config_refuses_an_unknown_extend_mode() -> None:
    import pytest

    assert DecoderConfig.from_dict({"extend": {"Doubt": "clause"}}).extend == {"Doubt": "clause"}
    with pytest.raises(ValueError, match="paragraph"):
        DecoderConfig.from_dict({"extend": {"Doubt": "paragraph"}})


def pytest_approx(x: float) -> object:
    import pytest

    return pytest.approx(x, abs=1e-6)


@pytest.mark.parametrize(
    "br", ["\n", "\r", "\r\n", "\u2028", "\u2029", "\x85", "\v", "\f", "\x1c", "\r\r"]
)
def test_spans_never_cross_a_line_break(br: str) -> None:
    """Any line break str.splitlines knows ends a span, not only \n (issue #14)."""
    text = f"aa bb{br}cc dd"
    k = len(br) - 1
    offs = np.array([[0, 2], [3, 5], [6 + k, 8 + k], [9 + k, 11 + k]])
    out = decode_runs(np.full(4, 0.9), np.zeros(4), offs, text, DecoderConfig())
    assert [text[s:e] for s, e, _ in out] == ["aa bb", "cc dd"]


@pytest.mark.parametrize("br", ["\r", "\u2028", "\x85", "\f"])
def test_extension_and_trimming_stop_at_any_line_break(br: str) -> None:
    text = f"Then he left{br}Next line, and more."
    n = text.index("Next")
    assert text[slice(*extend_span(text, n, n + 4, "sentence"))] == "Next line, and more"
    t = text.index("left")
    assert text[slice(*extend_span(text, t, t + 4, "clause"))] == "Then he left"
    assert trim(f"{br}word{br}", 0, 6) == (1, 5)


def test_leading_possessive_is_trimmed() -> None:
    assert trim("Council's Shameful Betrayal", 7, 27) == (10, 27)


def test_tail_of_a_word_after_its_apostrophe_is_trimmed() -> None:
    text = "The Council's Shameful Betrayal"
    assert text[trim(text, 12, 31)[0] :] == "Shameful Betrayal"  # starts at the "s" of "'s"
    text = "They don't care at all"
    assert text[slice(*trim(text, 10, 22))] == "care at all"  # starts at the "t" of "n't"
    # an apostrophe that opens a quotation is not a word's tail
    text = "He said 'never again'"
    assert trim(text, 9, 20) == (9, 20)
    # a word of its own after the apostrophe, with no space after it, stays
    assert trim("rock'n", 5, 6) == (5, 6)
