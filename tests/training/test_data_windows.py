"""Training windows: the runtime's line-anchored windows, BIO tags and spans inside them."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from propscope.corpus.ptc import Document, GoldSpan
from propscope.infer.tokenize import TextTokenizer
from propscope.training.data import TAG_B, TAG_I, TAG_O, doc_windows

TOKENIZER = Path(__file__).resolve().parents[1] / "fixtures" / "tiny-model" / "tokenizer.json"


def test_line_windows_are_the_runtime_windows_with_their_labels() -> None:
    tok = TextTokenizer(TOKENIZER)
    text = "they are evil thugs\nour nation is great"
    doc = Document("1", text, "p", spans=[GoldSpan(9, 19, "Name_Calling,Labeling")])
    wins = doc_windows(doc, tok, size=32, stride=16, anchor="lines", context=2)
    assert len(wins) == 2
    first, second = wins
    words = ["they", "are", "evil", "thugs"]
    assert first.ids.tolist() == [tok.cls_id, *[tok.tok.token_to_id(w) for w in words], tok.sep_id]
    assert first.bio.tolist() == [-100, TAG_O, TAG_O, TAG_B, TAG_I, -100]
    assert [(f, la) for f, la, _y, _e in first.spans] == [(3, 4)]  # evil thugs, after [CLS]
    # the second line reads the last 2 tokens of the first as context (labelled too)
    assert second.bio.tolist()[:3] == [-100, TAG_B, TAG_I]
    # the span lies whole inside that context: the classifier sees it there too
    assert [(f, la) for f, la, _y, _e in second.spans] == [(1, 2)]
    assert np.all(
        second.ids[3:-1] == [tok.tok.token_to_id(w) for w in ["our", "nation", "is", "great"]]
    )
