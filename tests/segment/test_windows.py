from __future__ import annotations

import itertools

import pytest

from propscope.segment.windows import blocks, windows


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
