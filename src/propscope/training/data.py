"""PTC documents -> training windows with BIO token labels and technique spans."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from propscope.corpus.ptc import Document
from propscope.infer.features import block_span_extras
from propscope.infer.tokenize import TextTokenizer
from propscope.scoring import merge_intervals
from propscope.segment.windows import anchored_windows, windows
from propscope.techniques import LABELS

TAG_O, TAG_B, TAG_I = 0, 1, 2
LABEL_INDEX = {t: i for i, t in enumerate(LABELS)}


@dataclass
class Window:
    ids: np.ndarray  # with [CLS] ... [SEP]
    bio: np.ndarray  # -100 on special tokens
    spans: list[tuple[int, int, int, np.ndarray]]  # (first tok, last tok, label, extras)


def token_bio(offsets: np.ndarray, spans: list[tuple[int, int]]) -> np.ndarray:
    """BIO tag of each token against merged spans (a token is inside if it overlaps)."""
    tags = np.zeros(len(offsets), dtype=np.int64)
    for s, e in merge_intervals(spans):
        idx = np.flatnonzero((offsets[:, 0] < e) & (offsets[:, 1] > s))
        if idx.size:
            tags[idx] = TAG_I
            tags[idx[0]] = TAG_B
    return tags


def doc_windows(
    doc: Document,
    tok: TextTokenizer,
    size: int,
    stride: int,
    offset: int = 0,
    *,
    anchor: str = "grid",
    context: int = 0,
) -> list[Window]:
    """Training windows of ``size`` tokens every ``stride`` tokens. With ``offset`` > 0 the
    grid starts ``offset`` tokens in (plus one window at the start), so that across epochs the
    model sees each token at many positions and does not learn the window grid.

    With ``anchor="lines"`` the windows are the runtime's (``anchored_windows``: a window per
    line with ``context`` tokens before it, long lines cut at sentence ends); every token of a
    window is labelled, its context included."""
    ids, offs = tok.encode(doc.text)
    if ids.size == 0:
        return []
    tags = token_bio(offs, [(s.start, s.end) for s in doc.spans])
    gold = [(s.start, s.end, LABEL_INDEX[s.technique or ""]) for s in doc.spans]
    # counted in the block holding each span's start, as the runtime's span classifier does
    extras = block_span_extras(doc.text, [(s, e) for s, e, _ in gold])
    tok_spans = []
    for (s, e, lab), ex in zip(gold, extras, strict=True):
        idx = np.flatnonzero((offs[:, 0] < e) & (offs[:, 1] > s))
        if idx.size:
            tok_spans.append((int(idx[0]), int(idx[-1]), lab, ex))
    out = []
    n = len(ids)
    bounds = windows(n, size - 2, stride)
    if anchor == "lines":
        bounds = [(w.a, w.b) for w in anchored_windows(doc.text, offs, size - 2, stride, context)]
    elif 0 < offset < n:
        bounds = [(0, min(n, size - 2))] + [
            (a + offset, b + offset) for a, b in windows(n - offset, size - 2, stride)
        ]
    for a, b in bounds:
        w_ids = np.concatenate([[tok.cls_id], ids[a:b], [tok.sep_id]]).astype(np.int64)
        w_bio = np.concatenate([[-100], tags[a:b], [-100]]).astype(np.int64)
        sp = [
            (f - a + 1, last - a + 1, lab, ex)
            for f, last, lab, ex in tok_spans
            if f >= a and last < b
        ]
        out.append(Window(w_ids, w_bio, sp))
    return out
