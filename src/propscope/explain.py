"""Why a range was flagged: its two scores, and each nearby word's weight by occlusion.

``explain(model, text, start, end, technique)`` scores the character range ``[start, end)``
as the decoder scores a span (``decode.spans``): ``score``, the calibrated probability that it
is a persuasion span (``span_probability`` of its tokens' mean P(inside) and its length), and
``technique_score``, the span classifier's probability of the technique (the one given, else
its most likely one). For a span of an analysis these are the analysis's numbers, except for
spans the decoder grew to their clause or sentence (``DecoderConfig.extend``): those were
scored on the run of tokens before it grew them, and are scored here on the range itself.

The words explained are those of the sentence(s) holding the range, at most ``MAX_WORDS``
(the ones nearest the range where there are more). A word's ``weight`` is how much the score
drops when the word is occluded: its tokens replaced by the tokenizer's ``[MASK]`` token
(same number of tokens, so every offset stays where it is) and the encoder windows that read
it run again. ``technique_weight`` is the same for the technique's score. Positive: the word
pushed the score up. A word no encoder window of the range reads weighs exactly 0.

Gradient-free and on demand: only the encoder windows that score the range's tokens run, once
as they are and once per word they read, all handed to the encoder at once
(``Encoder.run_many``), each in batches of the model's ``batch_size`` (with an int8 model,
quantized per call, a window's scores then depend on that window alone, so the result is
deterministic and a word's weight is its own). Nothing of an analysis changes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from propscope.decode.spans import span_probability, technique_probs
from propscope.errors import Code, PropscopeError
from propscope.infer.encoder import FArr, IArr
from propscope.infer.features import span_features
from propscope.infer.scores import BlockScores, fill_window, overlapping, pad_batch
from propscope.model import Model
from propscope.segment.sentences import split_sentences
from propscope.segment.windows import Window
from propscope.techniques import BY_LABEL, Technique

__all__ = [
    "MAX_WORDS",
    "METHOD",
    "ExplainQuery",
    "Explanation",
    "WordWeight",
    "explain",
    "words_of",
]

MAX_WORDS = 60  # words explained at most (about one encoder window)
METHOD = "occlusion"
SENTENCE_REACH = 1000  # characters around the range read to find its sentences
_WORD = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")


@dataclass(frozen=True)
class ExplainQuery:
    """What to explain: ``text[start:end]``, as ``technique`` (None: the model's choice)."""

    text: str
    start: int
    end: int
    technique: str | None = None


@dataclass(frozen=True)
class WordWeight:
    """A word of the window (``text[start:end]``) and the drop in each score without it."""

    start: int
    end: int
    text: str
    weight: float  # score with the word - score with it occluded
    technique_weight: float  # the same for the technique's score

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "weight": round(self.weight, 4) + 0.0,  # + 0.0: never -0.0
            "technique_weight": round(self.technique_weight, 4) + 0.0,
        }


@dataclass(frozen=True)
class Explanation:
    start: int
    end: int
    text: str  # text[start:end]
    technique: Technique
    score: float  # probability that the range is a persuasion span
    technique_score: float  # probability of the technique, given that it is one
    window: tuple[int, int]  # the range of the words explained
    words: tuple[WordWeight, ...]
    method: str = METHOD

    def to_dict(self) -> dict[str, Any]:
        t = self.technique
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "technique": {
                "label": t.label,
                "name": t.name,
                "definition": t.definition,
                "example": t.example,
            },
            "score": round(self.score, 4),  # as the analysis JSON rounds its spans' scores
            "technique_score": round(self.technique_score, 4),
            "method": self.method,
            "window": {"start": self.window[0], "end": self.window[1]},
            "words": [w.to_dict() for w in self.words],
        }

    def top_words(self, k: int = 5) -> list[WordWeight]:
        """The ``k`` words that pushed the score up most (ties in text order)."""
        return sorted(self.words, key=lambda w: -w.weight)[:k]


def check_range(text: str, start: int, end: int) -> None:
    """E063 unless ``0 <= start < end <= len(text)``."""
    if not 0 <= start < end <= len(text):
        raise PropscopeError(
            Code.BAD_RANGE,
            f"the range [{start}, {end}) is not a non-empty range of the text "
            f"(0 <= start < end <= {len(text)})",
        )


def check_technique(label: str | None, labels: Sequence[str]) -> None:
    """E012 for a label that is not one of the model's techniques."""
    if label is not None and label not in labels:
        raise PropscopeError(
            Code.UNKNOWN_TECHNIQUE,
            f"unknown technique {label!r} (see GET /api/v1/techniques or propscope.LABELS)",
        )


def words_of(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The words of ``text[start:end]``: letters and digits, joined by an apostrophe or a
    hyphen ("don't", "well-known"); punctuation is not a word."""
    return [(m.start(), m.end()) for m in _WORD.finditer(text, start, end)]


def _window_words(text: str, start: int, end: int, max_words: int) -> list[tuple[int, int]]:
    """The words of the sentences that overlap ``[start, end)``; the ``max_words`` nearest
    the range where there are more (the range's own first)."""
    lo = max(0, start - SENTENCE_REACH)
    hi = min(len(text), end + SENTENCE_REACH)
    sents = [(s + lo, e + lo) for s, e in split_sentences(text[lo:hi])]
    held = [(s, e) for s, e in sents if s < end and e > start]
    ws, we = (min(s for s, _ in held), max(e for _, e in held)) if held else (start, end)
    words = words_of(text, min(ws, start), max(we, end))
    if len(words) <= max_words:
        return words
    inside = [i for i, (s, e) in enumerate(words) if s < end and e > start]
    first, last = (inside[0], inside[-1]) if inside else (0, -1)
    if last - first + 1 >= max_words:
        return words[first : first + max_words]
    a, b = first, last + 1  # grow one word at a time, alternating before and after
    while b - a < max_words:
        if a > 0 and (first - a <= b - 1 - last or b >= len(words)):
            a -= 1
        else:
            b += 1
    return words[a:b]


def explain(
    model: Model,
    text: str,
    start: int,
    end: int,
    technique: str | None = None,
    *,
    max_words: int = MAX_WORDS,
) -> Explanation:
    """Why ``text[start:end]`` is (or is not) flagged: see the module docstring. E063 for a
    range that is empty or outside the text, or holds no token; E012 for an unknown
    technique; E020 for a model that is not the trained detector (the baselines have no
    scores to occlude)."""
    from propscope.detector import DetectorModel

    check_range(text, start, end)
    if not isinstance(model, DetectorModel):
        raise PropscopeError(
            Code.BAD_MODEL,
            f"{model.info.name} cannot explain a span: explanations need the trained detector",
        )
    check_technique(technique, model.labels)
    return _Explainer(model, text, start, end).run(technique, max_words)


class _Explainer:
    """The encoder windows of one range and the scores read from them."""

    def __init__(self, model: Any, text: str, start: int, end: int) -> None:
        self.model = model
        self.text, self.start, self.end = text, start, end
        scorer = model.scorer
        bs, be = next(((s, e) for s, e in scorer.blocks(text) if s <= start < e), (0, len(text)))
        self.block = (bs, be)
        ids, offs = scorer.tokenizer.encode(text[bs:be])
        self.ids: IArr = ids
        self.offs: IArr = offs + bs
        tokens = np.flatnonzero(overlapping(self.offs, start, end))
        if tokens.size == 0:
            raise PropscopeError(
                Code.BAD_RANGE, f"the range [{start}, {end}) holds no word the model reads"
            )
        self.tokens = tokens
        lo, hi = int(tokens[0]), int(tokens[-1]) + 1
        wins = scorer.settings.windows(text, self.offs)
        self.windows: list[Window] = [w for w in wins if w.lo < hi and w.hi > lo]
        self.lo = min(w.lo for w in self.windows)  # tokens [lo, hi) are scored here
        self.hi = max(w.hi for w in self.windows)
        mask = scorer.tokenizer.tok.token_to_id("[MASK]")
        if mask is None:
            mask = scorer.tokenizer.tok.token_to_id("<mask>")
        self.mask_id = int(mask if mask is not None else scorer.tokenizer.pad_id)

    def run(self, technique: str | None, max_words: int) -> Explanation:
        text, start, end = self.text, self.start, self.end
        words = _window_words(text, start, end, max_words)
        # variant 0: the text as it is; variant k: word k-1 occluded (where a window reads it)
        variants: list[list[tuple[int, IArr]]] = [
            [(j, self.ids[w.a : w.b]) for j, w in enumerate(self.windows)]
        ]
        read: list[int | None] = []  # the variant of each word (None: no window reads it)
        for ws, we in words:
            toks = np.flatnonzero(overlapping(self.offs, ws, we))
            changed = []
            for j, w in enumerate(self.windows):
                mine = toks[(toks >= w.a) & (toks < w.b)]
                if mine.size:
                    ids = self.ids[w.a : w.b].copy()
                    ids[mine - w.a] = self.mask_id
                    changed.append((j, ids))
            if changed:
                read.append(len(variants))
                variants.append(changed)
            else:
                read.append(None)
        outs = self._encode([ids for v in variants for _, ids in v])
        scores: list[tuple[float, FArr]] = []
        k = 0
        base_probs, base_hidden, base_cls = self._arrays(
            [(j, outs[k + n]) for n, (j, _) in enumerate(variants[0])], None
        )
        for v in variants:
            got = [(j, outs[k + n]) for n, (j, _) in enumerate(v)]
            k += len(v)
            arrays = self._arrays(got, (base_probs, base_hidden, base_cls))
            scores.append(self._score(*arrays))
        score, tprobs = scores[0]
        labels = self.model.labels
        j = labels.index(technique) if technique is not None else int(np.argmax(tprobs))
        tscore = float(tprobs[j])
        weights = []
        for (ws, we), at in zip(words, read, strict=True):
            if at is None:
                drop, tdrop = 0.0, 0.0
            else:
                drop, tdrop = score - scores[at][0], tscore - float(scores[at][1][j])
            weights.append(WordWeight(ws, we, text[ws:we], drop, tdrop))
        window = (words[0][0], words[-1][1]) if words else (start, end)
        return Explanation(
            start,
            end,
            text[start:end],
            BY_LABEL[labels[j]],
            score,
            tscore,
            (min(window[0], start), max(window[1], end)),
            tuple(weights),
        )

    def _encode(self, windows: list[IArr]) -> list[tuple[FArr, FArr]]:
        """Encoder outputs (hidden, logits) of each window, given to the encoder at once in
        batches of the model's ``batch_size`` (windows of one length batched together)."""
        scorer = self.model.scorer
        bsz = max(1, scorer.settings.batch_size)
        order = sorted(range(len(windows)), key=lambda i: (len(windows[i]), i))
        batches = [order[k : k + bsz] for k in range(0, len(order), bsz)]
        ran = scorer.encoder.run_many(
            [pad_batch(scorer.tokenizer, [windows[i] for i in b]) for b in batches]
        )
        out: list[tuple[FArr, FArr]] = [None] * len(windows)  # type: ignore[list-item]
        for b, (hid, logit) in zip(batches, ran, strict=True):
            for row, i in enumerate(b):
                n = len(windows[i]) + 2
                out[i] = (hid[row, :n], logit[row, :n])
        return out

    def _arrays(
        self,
        got: list[tuple[int, tuple[FArr, FArr]]],
        base: tuple[FArr, FArr, FArr] | None,
    ) -> tuple[FArr, FArr, FArr]:
        """P(O, B, I), hidden states and [CLS] states of tokens [lo, hi): the base's, with the
        rows of each window run again replaced (as ``BlockScorer.score_block`` fills them)."""
        n = self.hi - self.lo
        if base is None:
            h = got[0][1][0].shape[-1]
            probs = np.zeros((n, 3), dtype=np.float32)
            hidden = np.zeros((n, h), dtype=np.float32)
            cls = np.zeros((n, h), dtype=np.float32)
        else:
            probs, hidden, cls = (a.copy() for a in base)
        for j, (hid, logit) in got:
            w = self.windows[j]
            fill_window((probs, hidden, cls), slice(w.lo - self.lo, w.hi - self.lo), w, hid, logit)
        return probs, hidden, cls

    def _score(self, probs: FArr, hidden: FArr, cls: FArr) -> tuple[float, FArr]:
        """The range's span score and technique probabilities, from these token scores."""
        m = self.model
        scores = BlockScores(
            self.block[0], self.block[1], self.offs[self.lo : self.hi], probs, hidden, cls
        )
        rows = self.tokens - self.lo
        p_inside = float(scores.p_inside[rows].mean())
        score = span_probability(m.cfg, p_inside, self.end - self.start)
        feats = span_features(scores, self.text, [(self.start, self.end)])
        tprobs: FArr = technique_probs(m.tc_head(feats), m.cfg)[0]
        return score, tprobs
