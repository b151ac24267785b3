"""Golden outputs of the checked-in tiny model (tests/fixtures/tiny-model) on hand-written texts.

Every number on the path from the encoder's output to the analysis is pinned to 1e-5: span
offsets and techniques (decoder, span classifier, second label), span scores (temperature and
confidence calibration), sentence scores (max over the sentence's tokens, each from its most
central window) and claim scores (claims head and sigmoid). The third text is longer than one
32-token window, so stitching is on the path too.

The values were produced by propscope 0.1.0's runtime (commit b8fa6c7, before the runtime was
split into infer/ decode/ claims/ for issue #10) and are reproduced unchanged by the new one.
A change here means the analyses users get have changed: do it only on purpose.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import propscope
from propscope.decode.spans import DecoderConfig
from propscope.detector import DetectorModel

TINY = Path(__file__).resolve().parent / "fixtures" / "tiny-model"

TEXTS = [
    "They are evil thugs who lie to everyone.\nOur great nation will never surrender to them!",
    "The council spent $4 million on new offices in 2019, according to the auditor. "
    "Critics called it a disgrace.",
    'Mayor Jane Smith said: "These so-called experts are destroying our country."\n\n'
    + "Everyone knows the truth. " * 6,
]

GOLDEN: list[dict[str, list[Any]]] = [
    {
        "spans": [
            (0, 13, "Whataboutism,Straw_Men,Red_Herring", 0.7185875773429872),
            (14, 39, "Whataboutism,Straw_Men,Red_Herring", 0.7116639018058777),
            (41, 57, "Whataboutism,Straw_Men,Red_Herring", 0.7703351378440857),
            (58, 78, "Whataboutism,Straw_Men,Red_Herring", 0.7237092852592468),
            (79, 86, "Whataboutism,Straw_Men,Red_Herring", 0.6948543787002563),
        ],
        "sentences": [
            (0, 40, 0.8132874369621277),
            (41, 87, 0.892095148563385),
        ],
        "claims": [
            (0, 40, 0.5443131923675537),
            (41, 87, 0.5861695408821106),
        ],
    },
    {
        "spans": [
            (0, 51, "Slogans", 0.6484261751174927),
            (53, 98, "Whataboutism,Straw_Men,Red_Herring", 0.6853345632553101),
            (99, 107, "Black-and-White_Fallacy", 0.8423134088516235),
        ],
        "sentences": [
            (0, 78, 0.821426510810852),
            (79, 108, 0.8423134088516235),
        ],
        "claims": [
            (0, 78, 0.5793215036392212),
            (79, 108, 0.5798304080963135),
        ],
    },
    {
        "spans": [
            (0, 10, "Name_Calling,Labeling", 0.6571282148361206),
            (11, 21, "Whataboutism,Straw_Men,Red_Herring", 0.7902382612228394),
            (23, 62, "Whataboutism,Straw_Men,Red_Herring", 0.6737165451049805),
            (63, 76, "Whataboutism,Straw_Men,Red_Herring", 0.7778092622756958),
            (78, 118, "Name_Calling,Labeling", 0.6665644645690919),
            (119, 190, "Whataboutism,Straw_Men,Red_Herring", 0.7057757973670958),
            (191, 196, "Name_Calling,Labeling", 0.8268882036209106),
            (197, 226, "Whataboutism,Straw_Men,Red_Herring", 0.6657297015190125),
            (227, 232, "Whataboutism,Straw_Men,Red_Herring", 0.8297473192214966),
        ],
        "sentences": [
            (0, 76, 0.8552615642547607),
            (78, 103, 0.8496845960617065),
            (104, 129, 0.8114539384841919),
            (130, 155, 0.7988104224205017),
            (156, 181, 0.8066638708114624),
            (182, 207, 0.8268882036209106),
            (208, 233, 0.8297473192214966),
        ],
        "claims": [
            (0, 76, 0.5824314951896667),
            (78, 103, 0.5774810910224915),
            (104, 129, 0.5777469277381897),
            (130, 155, 0.5472451448440552),
            (156, 181, 0.5602346658706665),
            (182, 207, 0.5631518959999084),
            (208, 233, 0.572582483291626),
        ],
    },
]


@pytest.fixture(scope="module")
def nlp() -> propscope.Pipeline:
    return propscope.load(TINY)


@pytest.mark.parametrize("i", range(len(TEXTS)))
def test_golden_analysis(nlp: propscope.Pipeline, i: int) -> None:
    a = nlp.analyze(TEXTS[i])
    want = GOLDEN[i]
    assert [(s.start, s.end, s.technique) for s in a.spans] == [r[:3] for r in want["spans"]]
    assert [s.score for s in a.spans] == pytest.approx([r[3] for r in want["spans"]], abs=1e-5)
    assert [(s.start, s.end) for s in a.sentences] == [r[:2] for r in want["sentences"]]
    assert [s.score for s in a.sentences] == pytest.approx(
        [r[2] for r in want["sentences"]], abs=1e-5
    )
    assert [(c.start, c.end) for c in a.claims] == [r[:2] for r in want["claims"]]
    assert [c.score for c in a.claims] == pytest.approx([r[2] for r in want["claims"]], abs=1e-5)


def test_golden_json_rounds_scores_to_four_places(nlp: propscope.Pipeline) -> None:
    d = nlp.analyze(TEXTS[1]).to_dict()
    assert [s["score"] for s in d["spans"]] == [round(r[3], 4) for r in GOLDEN[1]["spans"]]
    assert [c["score"] for c in d["claims"]] == [round(r[2], 4) for r in GOLDEN[1]["claims"]]
    assert [s["score"] for s in d["sentences"]] == [round(r[2], 4) for r in GOLDEN[1]["sentences"]]


# The same model with a decoder like a tuned one: gap joining, a begin threshold, a second
# technique above 0.08, temperature 2 and a calibration that uses both probabilities.
TUNED = DecoderConfig(
    threshold=0.35,
    begin_threshold=0.6,
    max_gap=1,
    second_label=0.08,
    temperature=2.0,
    calib_a=0.7,
    calib_b=1.2,
    calib_c=-0.3,
)
GOLDEN_TUNED: list[list[tuple[int, int, str, float]]] = [
    [
        (0, 39, "Whataboutism,Straw_Men,Red_Herring", 0.06887691780224252),
        (41, 78, "Whataboutism,Straw_Men,Red_Herring", 0.07428161592847098),
        (79, 87, "Whataboutism,Straw_Men,Red_Herring", 0.07516006182009458),
    ],
    [
        (0, 107, "Bandwagon,Reductio_ad_hitlerum", 0.0554317854694534),
        (0, 107, "Whataboutism,Straw_Men,Red_Herring", 0.05733905194791331),
    ],
    [
        (0, 10, "Name_Calling,Labeling", 0.05340185703667811),
        (11, 76, "Whataboutism,Straw_Men,Red_Herring", 0.06753887467807285),
        (78, 118, "Name_Calling,Labeling", 0.05460147530958032),
        (119, 190, "Slogans", 0.06557640058133471),
        (119, 190, "Whataboutism,Straw_Men,Red_Herring", 0.06646992321541188),
        (191, 232, "Whataboutism,Straw_Men,Red_Herring", 0.07034945587863083),
    ],
]
CLASSIFY_TUNED = [
    ("Whataboutism,Straw_Men,Red_Herring", 0.09355450421571732),
    ("Whataboutism,Straw_Men,Red_Herring", 0.08612242341041565),
    ("Whataboutism,Straw_Men,Red_Herring", 0.08737421780824661),
]


@pytest.fixture(scope="module")
def tuned() -> propscope.Pipeline:
    nlp = propscope.load(TINY)
    assert isinstance(nlp.model, DetectorModel)
    nlp.model.cfg = TUNED
    return nlp


@pytest.mark.parametrize("i", range(len(TEXTS)))
def test_golden_spans_with_a_tuned_decoder(tuned: propscope.Pipeline, i: int) -> None:
    spans = tuned.analyze(TEXTS[i]).spans
    want = GOLDEN_TUNED[i]
    assert [(s.start, s.end, s.technique) for s in spans] == [r[:3] for r in want]
    assert [s.score for s in spans] == pytest.approx([r[3] for r in want], abs=1e-5)


def test_golden_classify(tuned: propscope.Pipeline) -> None:
    """TC on given spans: the technique of highest probability, after the temperature."""
    text = TEXTS[0]
    got = tuned.model.classify(text, [(9, 19), (41, 57), (0, len(text))])
    assert [t for t, _p in got] == [t for t, _p in CLASSIFY_TUNED]
    assert [p for _t, p in got] == pytest.approx([p for _t, p in CLASSIFY_TUNED], abs=1e-5)
