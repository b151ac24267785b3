"""The shipped claims model at run time: token limit, order of results, calibration, and its
outputs pinned (so that a change in tokenisation, batching or calibration is caught)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from propscope.claims.model import ClaimsModel
from propscope.detector import DetectorModel
from propscope.model import DEFAULT_MODEL_DIR


@pytest.fixture(scope="module")
def cm() -> ClaimsModel:
    m = DetectorModel.load(DEFAULT_MODEL_DIR)
    assert m.claims_model is not None
    return m.claims_model


def test_ids_are_cls_text_sep_cut_at_the_limit(cm: ClaimsModel) -> None:
    t = cm.tokenizer
    short = cm.ids("Taxes rose.")
    body, _ = t.encode("Taxes rose.")
    assert short == [t.cls_id, *body.tolist(), t.sep_id]
    long = cm.ids("word " * 500)
    # the shipped folder's limit (meta.json claims.max_tokens), [CLS] and [SEP] included
    assert len(long) == 96 and long[0] == t.cls_id and long[-1] == t.sep_id
    assert long[1:-1] == [t.tok.token_to_id("word")] * 94


def test_a_sentence_scores_the_same_whatever_its_neighbours(cm: ClaimsModel) -> None:
    texts = [
        "The deficit doubled in four years.",
        "Hello.",
        "Unemployment fell to 3.5 percent in September, the lowest rate since 1969.",
        "",
    ] * 9  # 36 texts of different lengths, scored on two threads
    together = cm.logits(texts)
    alone = np.array([cm.logits([x])[0] for x in texts[:4]])
    assert np.array_equal(together[:4], alone) and np.array_equal(together[32:], alone)
    assert cm.logits(list(reversed(texts[:4]))).tolist() == list(reversed(alone.tolist()))
    assert cm.logits([]).shape == (0,)


def test_probabilities_are_the_calibrated_logits(cm: ClaimsModel) -> None:
    a, b = cm.platt
    z = float(cm.logits(["The deficit doubled in four years."])[0])
    p = cm.probabilities(["The deficit doubled in four years."])[0]
    assert p == pytest.approx(1 / (1 + math.exp(-(a * z + b))), abs=1e-6)


# pinned outputs of the shipped model (update only with a new model, after checking them)
PINNED = {
    "Unemployment fell to 3.5 percent in September.": 0.962670,
    "They are evil thugs.": 0.025461,
    "The senator voted against the farm bill three times last year.": 0.980167,
}


def test_pinned_scores(cm: ClaimsModel) -> None:
    got = cm.probabilities(list(PINNED))
    assert got == pytest.approx(list(PINNED.values()), abs=1e-4)
