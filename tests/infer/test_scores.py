"""Block scores: windows through the encoder, each token's scores from its most central window.

A fake encoder writes into every output which window it was (the order of the windows sent to
it) and which position in that window, so the test can see where each token's hidden state,
[CLS] state and BIO probabilities were taken from.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from propscope.infer.encoder import AveragingEncoder
from propscope.infer.heads import softmax
from propscope.infer.scores import (
    BlockScorer,
    RuntimeSettings,
    pad_batch,
    tokens_in,
)
from propscope.infer.tokenize import TextTokenizer
from propscope.segment.windows import central_ranges, windows

TOKENIZER = Path(__file__).resolve().parents[1] / "fixtures" / "tiny-model" / "tokenizer.json"


class WindowStamp:
    """hidden[b, t] = (window number, position t, input id); logits[b, t] = (0, w / 10, t / 10)."""

    def __init__(self) -> None:
        self.calls: list[np.ndarray] = []
        self.seen = 0

    def run(self, input_ids: np.ndarray, attention_mask: np.ndarray) -> tuple[np.ndarray, ...]:
        self.calls.append(input_ids)
        b, t = input_ids.shape
        w = (self.seen + np.arange(b, dtype=np.float32))[:, None] * np.ones((1, t), np.float32)
        pos = np.broadcast_to(np.arange(t, dtype=np.float32), (b, t))
        hidden = np.stack([w, pos, input_ids.astype(np.float32)], axis=2)
        logits = np.stack([np.zeros_like(w), w / 10, pos / 10], axis=2)
        self.seen += b
        return hidden, logits

    def run_many(
        self, batches: list[tuple[np.ndarray, np.ndarray]]
    ) -> list[tuple[np.ndarray, ...]]:
        return [self.run(*x) for x in batches]


def most_central(i: int, wins: list[tuple[int, int]]) -> set[int]:
    """Windows in which token i is farthest from an edge (every window that ties)."""
    depth = {k: min(i - a, b - 1 - i) for k, (a, b) in enumerate(wins) if a <= i < b}
    best = max(depth.values())
    return {k for k, d in depth.items() if d == best}


@pytest.mark.parametrize(("window", "stride"), [(12, 6), (12, 8), (34, 24), (10, 8)])
def test_each_token_takes_its_scores_from_its_most_central_window(window: int, stride: int) -> None:
    tok = TextTokenizer(TOKENIZER)
    text = " ".join(f"w{i}" for i in range(40))
    enc = WindowStamp()
    scorer = BlockScorer(enc, tok, RuntimeSettings(window=window, stride=stride, batch_size=3))
    sc = scorer.score_block(text, 0, len(text))
    assert sc is not None
    ids, offs = tok.encode(text)
    wins = windows(len(ids), window - 2, stride)
    assert len(wins) >= 3 and enc.seen == len(wins)
    for i in range(len(ids)):
        w = int(sc.hidden[i, 0])  # the order in which its window went to the encoder
        a = i - int(sc.hidden[i, 1]) + 1  # where that window starts (position 0 is [CLS])
        starts = [x for x, _ in wins]
        assert a in starts and starts.index(a) in most_central(i, wins), (i, a, wins)
        assert sc.hidden[i, 2] == ids[i]  # the token's own id
        assert tuple(sc.cls[i]) == (w, 0, tok.cls_id)
        want = softmax(np.array([0.0, w / 10, (i - a + 1) / 10], dtype=np.float32))
        np.testing.assert_allclose(sc.probs[i], want, rtol=1e-6)
    np.testing.assert_array_equal(sc.offsets, offs)
    np.testing.assert_allclose(sc.p_inside, sc.probs[:, 1] + sc.probs[:, 2])


def test_central_ranges_split_every_overlap_in_the_middle() -> None:
    # windows of 10 every 6: overlaps of 4 tokens, 2 to each side
    wins = [(0, 10), (6, 16), (12, 20)]
    assert central_ranges(wins, 2) == [(0, 8), (8, 14), (14, 20)]
    assert central_ranges([(0, 5)], 2) == [(0, 5)]


def test_block_offsets_index_the_full_text() -> None:
    tok = TextTokenizer(TOKENIZER)
    text = "first block. second block here."
    scorer = BlockScorer(WindowStamp(), tok, RuntimeSettings(window=8, stride=4))
    sc = scorer.score_block(text, 13, len(text))
    assert sc is not None and (sc.start, sc.end) == (13, len(text))
    assert text[int(sc.offsets[0, 0]) : int(sc.offsets[0, 1])] == "second"
    assert scorer.score_block(text, 12, 13) is None  # a space: no token, no scores


def test_pad_batch_wraps_in_cls_and_sep_and_masks_the_padding() -> None:
    tok = TextTokenizer(TOKENIZER)
    ids, mask = pad_batch(tok, [np.array([5, 6, 7]), np.array([9])])
    c, s, p = tok.cls_id, tok.sep_id, tok.pad_id
    assert ids.tolist() == [[c, 5, 6, 7, s], [c, 9, s, p, p]]
    assert mask.tolist() == [[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]]


def test_tokens_in_selects_overlapping_tokens() -> None:
    tok = TextTokenizer(TOKENIZER)
    scorer = BlockScorer(WindowStamp(), tok, RuntimeSettings(window=16, stride=8))
    text = "one two three"
    sc = scorer.score_block(text, 0, len(text))
    assert sc is not None
    assert tokens_in(sc, 4, 7).tolist() == [False, True, False]
    assert tokens_in(sc, 3, 4).tolist() == [False, False, False]  # the space only
    assert tokens_in(sc, 2, 5).tolist() == [True, True, False]


def test_averaging_encoder_averages_logits_and_keeps_the_first_hidden_states() -> None:
    class Const:
        def __init__(self, h: float, lg: float) -> None:
            self.h, self.lg = h, lg

        def run(self, ids: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            b, t = ids.shape
            return np.full((b, t, 2), self.h, np.float32), np.full((b, t, 3), self.lg, np.float32)

    ids = np.zeros((1, 4), dtype=np.int64)
    hidden, logits = AveragingEncoder([Const(1, 2), Const(5, 4), Const(9, 9)]).run(ids, ids)
    assert hidden.shape == (1, 4, 2) and (hidden == 1).all()
    np.testing.assert_allclose(logits, 5.0)
    with pytest.raises(ValueError):
        AveragingEncoder([])


def test_onnx_encoder_runs_windows_concurrently_with_the_same_scores() -> None:
    """Two threads of one-thread sessions give exactly the scores of one thread, in order."""
    from propscope.infer.encoder import OnnxEncoder

    model = TOKENIZER.parent / "model.onnx"
    one, two = OnnxEncoder(model, threads=1), OnnxEncoder(model, threads=2)
    tok = TextTokenizer(TOKENIZER)
    texts = ["first line here", "a second, longer line of text", "x", "the fourth one"]
    batches = [pad_batch(tok, [tok.encode(t)[0]]) for t in texts]
    a, b = one.run_many(batches), two.run_many(batches)
    assert len(a) == len(b) == 4
    for (h1, l1), (h2, l2) in zip(a, b, strict=True):
        np.testing.assert_array_equal(h1, h2)
        np.testing.assert_array_equal(l1, l2)
    assert [h.shape[1] for h, _ in b] == [len(tok.encode(t)[0]) + 2 for t in texts]


def test_default_threads_reads_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from propscope.infer.encoder import default_threads

    monkeypatch.setenv("PROPSCOPE_THREADS", "3")
    assert default_threads() == 3
    monkeypatch.setenv("PROPSCOPE_THREADS", "zero")
    assert 1 <= default_threads() <= 4


def test_head_sigmoid_saturates_without_a_numpy_warning() -> None:
    import warnings

    import numpy as np

    from propscope.infer.heads import sigmoid

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an overflow RuntimeWarning would fail the test
        assert sigmoid(np.float32(-200.0)) == 0.0
        assert sigmoid(np.float32(200.0)) == 1.0
    assert sigmoid(np.float32(0.0)) == 0.5
    assert sigmoid(np.float32(np.log(3.0))) == pytest.approx(0.75, abs=1e-7)


def test_a_block_goes_to_the_encoder_a_few_batches_at_a_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Bounded memory: at most RUN_AT_ONCE batches' outputs are held at once, and the scores
    are those of one call with every batch (each batch is run on its own anyway)."""
    from propscope.infer import scores as scores_module
    from propscope.infer.encoder import OnnxEncoder

    tok = TextTokenizer(TOKENIZER)
    text = "\n".join(f"line {i} of some evil text, with words." for i in range(60))
    settings = RuntimeSettings(window=16, stride=12, batch_size=2, anchor="lines", context=4)
    scorer = BlockScorer(OnnxEncoder(TOKENIZER.parent / "model.onnx", threads=2), tok, settings)
    whole = scorer.score_block(text, 0, len(text))
    sizes: list[int] = []
    run_many = scorer.encoder.run_many

    def counted(batches: list[tuple[np.ndarray, np.ndarray]]) -> list[tuple[np.ndarray, ...]]:
        sizes.append(len(batches))
        return run_many(batches)

    monkeypatch.setattr(scorer.encoder, "run_many", counted)
    monkeypatch.setattr(scores_module, "RUN_AT_ONCE", 3)
    some = scorer.score_block(text, 0, len(text))
    assert whole is not None and some is not None
    assert len(sizes) > 5 and max(sizes) == 3
    for name in ("offsets", "probs", "hidden", "cls"):
        np.testing.assert_array_equal(getattr(some, name), getattr(whole, name))
