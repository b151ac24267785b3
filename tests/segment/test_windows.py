from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from propscope.segment.windows import (
    LINE,
    LINE_BREAK,
    LINE_BREAKS,
    StartIndex,
    blocks,
    start_order,
    starting_in,
    windows,
)


@pytest.mark.parametrize("n", [0, 1, 10, 254, 255, 600, 1000])
def test_windows_cover_every_token(n: int) -> None:
    ws = windows(n, 254, 192)
    covered = set()
    for a, b in ws:
        assert 0 <= a < b <= n or n == 0
        assert b - a <= 254
        covered.update(range(a, b))
    assert covered == set(range(n))


def test_blocks_partition_the_text() -> None:
    text = ("line with words\n" * 50) + ("x" * 300) + ("tail words " * 20)
    parts = list(blocks(text, max_chars=100))
    assert parts[0][0] == 0 and parts[-1][1] == len(text)
    for (a, b), (c, _d) in itertools.pairwise(parts):
        assert b == c and b - a <= 100
    assert "".join(text[a:b] for a, b in parts) == text


def test_blocks_prefer_line_breaks() -> None:
    text = "aaaa bbbb\ncccc dddd\neeee"
    first = next(iter(blocks(text, max_chars=12)))
    assert text[first[0] : first[1]] == "aaaa bbbb\n"


# --- which ranges start in a block: the index answers as the scan does (issue #14) --------

ranges_st = st.lists(
    st.tuples(st.integers(0, 60), st.integers(0, 20)).map(lambda t: (t[0], t[0] + t[1])),
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(ranges_st, st.booleans(), st.lists(st.tuples(st.integers(-5, 70), st.integers(-5, 70))))
def test_start_index_answers_as_the_scan(
    ranges: list[tuple[int, int]], ordered: bool, queries: list[tuple[int, int]]
) -> None:
    if ordered:
        ranges = sorted(ranges)
    index = StartIndex(ranges)
    for a, b in [*queries, (0, 100), (10, 10), (30, 20)]:
        assert index(a, b) == starting_in(a, b, ranges)


def test_start_index_over_the_blocks_of_a_text() -> None:
    text = "A sentence here. " * 3000
    sentences = [(k, k + 16) for k in range(0, len(text), 17)]
    index = StartIndex(sentences)
    got = [index(a, b) for a, b in blocks(text, 5000)]
    assert got == [starting_in(a, b, sentences) for a, b in blocks(text, 5000)]
    assert sorted(i for g in got for i in g) == list(range(len(sentences)))


# --- blocks end at any line break (issue #14, part 4) ---------------------------------------


@pytest.mark.parametrize("br", [*LINE_BREAKS, "\r\n"])
def test_blocks_prefer_any_line_break(br: str) -> None:
    text = br.join(["aaaa bbbb", "cccc dddd", "eeee"])
    first = next(iter(blocks(text, max_chars=12)))
    assert text[first[0] : first[1]] == "aaaa bbbb" + br  # not "aaaa " (the last space)


def test_line_break_characters_are_those_of_splitlines() -> None:
    every = "".join(chr(c) for c in range(0x3000))
    assert set(LINE_BREAKS) == set(every) - set("".join(every.splitlines()))
    text = "a\nb\rc\r\nd\x85e\u2028f\u2029g\vh\fi\x1cj\x1dk\x1el"
    assert LINE.findall(text) == text.splitlines() == list("abcdefghijkl")
    assert "".join(LINE_BREAK.findall(text)) == "\n\r\r\n\x85\u2028\u2029\v\f\x1c\x1d\x1e"


def test_start_order_sorts_only_what_is_out_of_order() -> None:
    assert start_order([]) is None and start_order([3]) is None
    assert start_order([1, 1, 2, 5]) is None  # in order (ties too): nothing sorted
    assert start_order([5, 1, 3, 1]) == [1, 3, 2, 0]  # stable: equal starts keep their order
