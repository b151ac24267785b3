"""Text -> block scores: tokens, their character offsets, BIO probabilities and hidden states.

Nothing here decodes. A text is cut into blocks of at most ``block_chars`` characters (bounded
memory for any length); each block is tokenized once and run through the encoder in windows of
``window`` tokens (with [CLS] and [SEP]) that start every ``stride`` tokens. Each token keeps the
scores of the window in which it is most central: the first window gives its tokens up to
``half`` tokens before its end, the next one starts giving ``half`` tokens after its start,
where ``half = (window - 2 - stride) // 2``.
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
from propscope.segment.windows import BLOCK_CHARS, blocks, windows


@dataclass(frozen=True)
class RuntimeSettings:
    """How a model folder's encoder is run; read from its meta.json ("runtime")."""

    window: int = 128  # tokens per window, [CLS] and [SEP] included
    stride: int = 112  # a window starts every ``stride`` tokens
    batch_size: int = 4  # windows per encoder call
    block_chars: int = BLOCK_CHARS  # characters per block (bounded memory)

    def to_dict(self) -> dict[str, int]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> RuntimeSettings:
        return cls(**{k: int(v) for k, v in d.items() if k in cls.__dataclass_fields__})


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


def central_ranges(wins: list[tuple[int, int]], half: int) -> list[tuple[int, int]]:
    """The tokens each window gives scores to: all of the first and last window's edge, and
    ``half`` tokens less at every edge shared with a neighbour."""
    out = []
    for wi, (a, b) in enumerate(wins):
        lo = a if wi == 0 else a + half
        hi = b if wi == len(wins) - 1 else b - half
        out.append((lo, max(hi, lo)))
    return out


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
        size, stride = self.settings.window - 2, self.settings.stride
        wins = windows(n, size, stride)
        keep = central_ranges(wins, (size - stride) // 2)
        probs = np.zeros((n, 3), dtype=np.float32)
        hidden: FArr | None = None
        cls: FArr | None = None
        bsz = self.settings.batch_size
        for k in range(0, len(wins), bsz):
            batch = wins[k : k + bsz]
            hid, logit = self.encoder.run(*pad_batch(self.tokenizer, [ids[a:b] for a, b in batch]))
            if hidden is None or cls is None:
                hidden = np.zeros((n, hid.shape[2]), dtype=np.float32)
                cls = np.zeros((n, hid.shape[2]), dtype=np.float32)
            for j, (a, _b) in enumerate(batch):
                lo, hi = keep[k + j]
                sl = slice(lo - a + 1, hi - a + 1)  # +1: [CLS] is position 0
                probs[lo:hi] = softmax(logit[j, sl])
                hidden[lo:hi] = hid[j, sl]
                cls[lo:hi] = hid[j, 0]
        assert hidden is not None and cls is not None
        return BlockScores(start, end, offs, probs, hidden, cls)


def tokens_in(scores: BlockScores, start: int, end: int) -> NDArray[np.bool_]:
    """Mask of the block's tokens that overlap the character range [start, end)."""
    out: NDArray[np.bool_] = (scores.offsets[:, 0] < end) & (scores.offsets[:, 1] > start)
    return out
