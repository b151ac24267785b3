"""Text -> block scores: tokens, their character offsets, BIO probabilities and hidden states.

Nothing here decodes. A text is cut into blocks of at most ``block_chars`` characters (bounded
memory for any length); each block is tokenized once and run through the encoder in windows of
at most ``window`` tokens (with [CLS] and [SEP]), each window giving its scores to a range of
its tokens (``segment.windows.Window``), every token scored by exactly one window:

* ``anchor="lines"`` (models from 0.3): a window per line, reading ``context`` tokens before
  the line, long lines cut at sentence ends (``anchored_windows``). A window's tokens depend
  only on the text near it, so a prefix or a removed paragraph changes only nearby scores.
* ``anchor="grid"``: windows every ``stride`` tokens from the block's first token, each token
  from the window where it is most central (``grid_windows``).

Windows go through the encoder ``batch_size`` at a time, shortest first. With an int8 model
whose activations are quantized per call (dynamic quantization), a window's scores depend on
the other windows of its call; ``batch_size=1`` makes them depend on the window alone.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from propscope.infer.encoder import Encoder, FArr, IArr
from propscope.infer.heads import softmax
from propscope.infer.tokenize import TextTokenizer
from propscope.segment.windows import (
    BLOCK_CHARS,
    Window,
    anchored_windows,
    blocks,
    grid_windows,
)

RUN_AT_ONCE = 32  # encoder batches given to ``Encoder.run_many`` at once


@dataclass(frozen=True)
class RuntimeSettings:
    """How a model folder's encoder is run; read from its meta.json ("runtime")."""

    window: int = 128  # tokens per window, [CLS] and [SEP] included
    stride: int = 112  # a window starts every ``stride`` tokens
    batch_size: int = 4  # windows per encoder call
    block_chars: int = BLOCK_CHARS  # characters per block (bounded memory)
    # "lines": a window per line (``anchored_windows``); "grid": every ``stride`` tokens
    anchor: str = "grid"
    context: int = 0  # "lines": tokens before a line that its window also reads

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> RuntimeSettings:
        out = {k: int(v) for k, v in d.items() if k in cls.__dataclass_fields__ and k != "anchor"}
        return cls(**out, anchor=str(d.get("anchor", "grid")))

    def windows(self, text: str, offsets: IArr) -> list[Window]:
        """The encoder windows of one block's tokens."""
        if self.anchor == "lines":
            return anchored_windows(text, offsets, self.window - 2, self.stride, self.context)
        return grid_windows(len(offsets), self.window - 2, self.stride)


@dataclass
class BlockScores:
    """Per-token scores of one block of text (offsets index the full text)."""

    start: int  # the block's character range in the text
    end: int
    offsets: IArr  # (n, 2) character offsets of the tokens
    probs: FArr  # (n, 3): P(O), P(B), P(I)
    hidden: FArr  # (n, H) hidden states
    cls: FArr  # (n, H): [CLS] state of the window each token was taken from

    @property
    def p_inside(self) -> FArr:
        """P(B) + P(I): the probability that a token is inside a technique span."""
        out: FArr = self.probs[:, 1] + self.probs[:, 2]
        return out


def pad_batch(tokenizer: TextTokenizer, ids_list: list[IArr]) -> tuple[IArr, IArr]:
    """[CLS] ids [SEP], padded to the longest: (input_ids, attention_mask)."""
    n = max(len(x) for x in ids_list) + 2
    ids = np.full((len(ids_list), n), tokenizer.pad_id, dtype=np.int64)
    mask = np.zeros((len(ids_list), n), dtype=np.int64)
    for i, x in enumerate(ids_list):
        ids[i, 0] = tokenizer.cls_id
        ids[i, 1 : len(x) + 1] = x
        ids[i, len(x) + 1] = tokenizer.sep_id
        mask[i, : len(x) + 2] = 1
    return ids, mask


class BlockScorer:
    """Runs an encoder over the blocks of a text with the model folder's runtime settings."""

    def __init__(
        self, encoder: Encoder, tokenizer: TextTokenizer, settings: RuntimeSettings
    ) -> None:
        self.encoder = encoder
        self.tokenizer = tokenizer
        self.settings = settings

    def blocks(self, text: str) -> Iterator[tuple[int, int]]:
        return blocks(text, self.settings.block_chars)

    def score_text(self, text: str) -> Iterator[BlockScores]:
        """Scores of every block that holds a token, one block at a time."""
        for bs, be in self.blocks(text):
            sc = self.score_block(text, bs, be)
            if sc is not None:
                yield sc

    def score_block(self, text: str, start: int, end: int) -> BlockScores | None:
        ids, offs = self.tokenizer.encode(text[start:end])
        if ids.size == 0:
            return None
        offs = offs + start
        n = ids.size
        # batches of windows of similar length (less padding); scores go back by position
        wins = sorted(self.settings.windows(text, offs), key=lambda w: w.b - w.a)
        probs = np.zeros((n, 3), dtype=np.float32)
        hidden: FArr | None = None
        cls: FArr | None = None
        bsz = self.settings.batch_size
        batches = [wins[k : k + bsz] for k in range(0, len(wins), bsz)]
        # RUN_AT_ONCE batches go to the encoder together (in parallel) and their outputs are
        # copied out before the next ones: a block's encoder outputs are never all held at once
        for c in range(0, len(batches), RUN_AT_ONCE):
            some = batches[c : c + RUN_AT_ONCE]
            outs = self.encoder.run_many(
                [pad_batch(self.tokenizer, [ids[w.a : w.b] for w in batch]) for batch in some]
            )
            for batch, (hid, logit) in zip(some, outs, strict=True):
                if hidden is None or cls is None:
                    hidden = np.zeros((n, hid.shape[2]), dtype=np.float32)
                    cls = np.zeros((n, hid.shape[2]), dtype=np.float32)
                for j, w in enumerate(batch):
                    fill_window((probs, hidden, cls), slice(w.lo, w.hi), w, hid[j], logit[j])
        assert hidden is not None and cls is not None
        return BlockScores(start, end, offs, probs, hidden, cls)


def fill_window(
    arrays: tuple[FArr, FArr, FArr], rows: slice, w: Window, hid: FArr, logit: FArr
) -> None:
    """Write one encoder window's outputs into a block's token arrays (P(O, B, I), hidden
    states, [CLS] states) at ``rows``: the tokens it scores, ``[w.lo, w.hi)``. ``hid`` and
    ``logit`` are the window's own rows, [CLS] first."""
    probs, hidden, cls = arrays
    sl = slice(w.lo - w.a + 1, w.hi - w.a + 1)  # +1: [CLS] is position 0
    probs[rows] = softmax(logit[sl])
    hidden[rows] = hid[sl]
    cls[rows] = hid[0]


def overlapping(offsets: IArr, start: int, end: int) -> NDArray[np.bool_]:
    """Mask of the tokens (character ``offsets``, one row each) that overlap [start, end)."""
    out: NDArray[np.bool_] = (offsets[:, 0] < end) & (offsets[:, 1] > start)
    return out


def tokens_in(scores: BlockScores, start: int, end: int) -> NDArray[np.bool_]:
    """Mask of the block's tokens that overlap the character range [start, end)."""
    return overlapping(scores.offsets, start, end)
