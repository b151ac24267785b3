"""Sentence scores from spans (the baselines): the sorted sweep answers as the plain scan."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from propscope.decode.sentences import overlap_scores
from propscope.types import Span

spans_st = st.lists(
    st.tuples(st.integers(0, 60), st.integers(1, 20)).map(
        lambda t: Span(t[0], t[0] + t[1], "Loaded_Language")
    ),
    max_size=30,
)
ranges_st = st.lists(
    st.tuples(st.integers(0, 80), st.integers(0, 15)).map(lambda t: (t[0], t[0] + t[1])),
    max_size=30,
)


@settings(max_examples=300, deadline=None)
@given(spans_st, ranges_st)
def test_overlap_scores_as_the_scan(spans: list[Span], sentences: list[tuple[int, int]]) -> None:
    want = [float(any(s.start < e and b < s.end for s in spans)) for b, e in sentences]
    assert overlap_scores(spans, sentences) == want


def test_overlap_scores_examples() -> None:
    spans = [Span(10, 15, "Doubt"), Span(2, 4, "Doubt")]
    assert overlap_scores(spans, [(0, 2), (0, 3), (4, 10), (14, 20), (15, 20)]) == [
        0.0,
        1.0,
        0.0,
        1.0,
        0.0,
    ]
    assert overlap_scores([], [(0, 5)]) == [0.0]
