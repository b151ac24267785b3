"""The span classifier's extra features work on the block, not on the whole text (issue #14,
part 3: the cost of a block must not grow with the text around it)."""

from __future__ import annotations

import numpy as np
import pytest

from propscope.infer import features
from propscope.infer.features import block_span_extras, span_extras, span_features
from propscope.infer.scores import BlockScores
from propscope.segment.windows import blocks

FILLER = "Nothing to see here at all. " * 40


def test_a_fragment_counts_only_inside_its_block() -> None:
    text = "evil thugs. " * 3 + FILLER + "They are evil thugs.\n" + FILLER + "evil thugs. " * 4
    s = text.index("They are evil thugs") + len("They are ")
    span = [(s, s + len("evil thugs"))]
    whole = span_extras(text, span)
    assert whole[0, 0] == pytest.approx(np.log1p(8))  # 3 before, itself, 4 after
    lo = text.index("They are")
    block = span_extras(text, span, lo, lo + len("They are evil thugs.\n"))
    assert block[0, 0] == pytest.approx(np.log1p(1))  # only itself: the others are outside
    assert block[0, 1] == 0.0 and block[0, 2] == 0.0
    # a block that holds the three before it (and the span)
    assert span_extras(text, span, 0, s + 10)[0, 0] == pytest.approx(np.log1p(4))


def test_a_block_is_widened_to_hold_its_spans() -> None:
    text = "one two three four five"
    out = span_extras(text, [(8, 13)], 0, 10)  # "three" runs past the block's end
    assert out[0, 0] == pytest.approx(np.log1p(1))


def test_one_block_is_the_whole_text() -> None:
    text = "They are evil thugs.\nEvil thugs, all of them: evil   THUGS!\n"
    spans = [(9, 19), (21, 31), (46, 57), (0, 4)]
    np.testing.assert_array_equal(span_extras(text, spans, 0, len(text)), span_extras(text, spans))
    np.testing.assert_array_equal(block_span_extras(text, spans), span_extras(text, spans))


def test_only_the_block_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """No step of a block normalises (and so copies and scans) more than the block."""
    text = ("Evil thugs lie to everyone. " * 30 + "\n") * 400  # 340k characters
    seen: list[int] = []
    norm = features._norm

    def spy(s: str) -> str:
        seen.append(len(s))
        return norm(s)

    monkeypatch.setattr(features, "_norm", spy)
    bs, be = 200_000, 220_000
    spans = [(bs + 28 * k, bs + 28 * k + 10) for k in range(20)]
    span_extras(text, spans, bs, be)
    assert seen and max(seen) <= be - bs


def test_span_features_count_in_the_block() -> None:
    text = "evil thugs " * 50 + "\n" + "calm words " * 10 + "evil thugs"
    bs = text.index("\n") + 1
    n = 2
    scores = BlockScores(
        start=bs,
        end=len(text),
        offsets=np.array([[bs, bs + 4], [len(text) - 10, len(text)]]),
        probs=np.zeros((n, 3), np.float32),
        hidden=np.ones((n, 3), np.float32),
        cls=np.ones((n, 3), np.float32),
    )
    spans = [(len(text) - 10, len(text))]
    got = span_features(scores, text, spans)[:, -features.N_EXTRA :]
    np.testing.assert_array_equal(got, span_extras(text, spans, bs, len(text)))
    assert got[0, 0] == pytest.approx(np.log1p(1))  # the 50 before the block do not count


def test_block_span_extras_take_each_span_in_the_block_of_its_start() -> None:
    text = ("Evil thugs lie. " * 20 + "\n") * 30
    spans = [(m, m + 10) for m in range(0, len(text), 997) if text[m : m + 10].strip()]
    got = block_span_extras(text, spans, block_chars=1000)
    for bs, be in blocks(text, 1000):
        mine = [i for i, (s, _e) in enumerate(spans) if bs <= s < be]
        if mine:
            np.testing.assert_array_equal(
                got[mine], span_extras(text, [spans[i] for i in mine], bs, be)
            )
