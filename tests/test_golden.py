"""Golden outputs of the checked-in tiny model (tests/fixtures/tiny-model) on hand-written texts.

Every number on the path from the encoder's output to the analysis is pinned to 1e-5: span
offsets and techniques (decoder, span classifier, second label, clause and sentence extension),
the two span probabilities (span calibration; technique temperature), the operating point's
``min_score``, sentence scores (max over the sentence's tokens) and claim scores (claims head and
sigmoid). The fixture runs the shipped runtime: a window per line with 4 tokens of context, at
most 32 tokens, so the third text's long line is cut at sentence ends.

The second text is one line of one window: its values are those propscope 0.1.0 and 0.2.0 gave
(commit b8fa6c7), unchanged by the line-anchored windows of 0.3. The others were pinned when
the windows changed (issue #11). A change here means the analyses users get have changed: do it
only on purpose.
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
            (0, 13, "Whataboutism,Straw_Men,Red_Herring", 0.7185757160186768),
            (14, 39, "Whataboutism,Straw_Men,Red_Herring", 0.7116457223892212),
            (41, 44, "Name_Calling,Labeling", 0.7604158520698547),
            (45, 86, "Whataboutism,Straw_Men,Red_Herring", 0.6665038466453552),
        ],
        "sentences": [(0, 40, 0.8132745027542114), (41, 87, 0.8200243711471558)],
        "claims": [(0, 40, 0.5443260073661804), (41, 87, 0.5724183917045593)],
    },
    {
        "spans": [
            (0, 51, "Slogans", 0.6484261751174927),
            (53, 98, "Whataboutism,Straw_Men,Red_Herring", 0.6853345632553101),
            (99, 107, "Black-and-White_Fallacy", 0.8423134088516235),
        ],
        "sentences": [(0, 78, 0.821426510810852), (79, 108, 0.8423134088516235)],
        "claims": [(0, 78, 0.5793215036392212), (79, 108, 0.5798304080963135)],
    },
    {
        "spans": [
            (0, 10, "Name_Calling,Labeling", 0.6570636630058289),
            (11, 21, "Whataboutism,Straw_Men,Red_Herring", 0.7902206778526306),
            (23, 62, "Whataboutism,Straw_Men,Red_Herring", 0.6737039089202881),
            (63, 76, "Whataboutism,Straw_Men,Red_Herring", 0.7777867317199707),
            (78, 86, "Name_Calling,Labeling", 0.6639283299446106),
            (87, 154, "Whataboutism,Straw_Men,Red_Herring", 0.7043947577476501),
            (156, 190, "Whataboutism,Straw_Men,Red_Herring", 0.6902944445610046),
            (191, 206, "Whataboutism,Straw_Men,Red_Herring", 0.6720221042633057),
            (208, 232, "Whataboutism,Straw_Men,Red_Herring", 0.7138729691505432),
        ],
        "sentences": [
            (0, 76, 0.8552484512329102),
            (78, 103, 0.8386385440826416),
            (104, 129, 0.7651159167289734),
            (130, 155, 0.7859817147254944),
            (156, 181, 0.8117125034332275),
            (182, 207, 0.8977123498916626),
            (208, 233, 0.7981129884719849),
        ],
        "claims": [
            (0, 76, 0.5823652744293213),
            (78, 103, 0.5580711364746094),
            (104, 129, 0.544325053691864),
            (130, 155, 0.5746944546699524),
            (156, 181, 0.5331352949142456),
            (182, 207, 0.5832247734069824),
            (208, 233, 0.5729219913482666),
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
# technique above 0.08, temperature 2, a span calibration that uses length, an operating point
# (min_score 0.6) and two techniques whose spans grow to their clause or sentence.
TUNED = DecoderConfig(
    threshold=0.35,
    begin_threshold=0.6,
    max_gap=1,
    second_label=0.08,
    temperature=2.0,
    span_a=0.7,
    span_b=0.2,
    span_c=-0.3,
    min_score=0.6,
    extend={"Whataboutism,Straw_Men,Red_Herring": "clause", "Name_Calling,Labeling": "sentence"},
)
GOLDEN_TUNED: list[list[tuple[int, int, str, float, float]]] = [
    [
        (0, 39, "Whataboutism,Straw_Men,Red_Herring", 0.7453520076372098, 0.08591088652610779),
        (41, 87, "Bandwagon,Reductio_ad_hitlerum", 0.7386448316210646, 0.08032175898551941),
    ],
    [
        (0, 107, "Bandwagon,Reductio_ad_hitlerum", 0.7546684616512451, 0.08041422814130783),
        (0, 107, "Whataboutism,Straw_Men,Red_Herring", 0.7546684616512451, 0.08285284787416458),
    ],
    [
        (0, 76, "Name_Calling,Labeling", 0.7352280689203633, 0.08003466576337814),
        (0, 76, "Whataboutism,Straw_Men,Red_Herring", 0.7628526500099295, 0.0872013047337532),
        (78, 190, "Slogans", 0.7758745250257538, 0.08002260327339172),
        (78, 206, "Whataboutism,Straw_Men,Red_Herring", 0.7804843294049993, 0.08196534961462021),
        (182, 232, "Whataboutism,Straw_Men,Red_Herring", 0.7510807441324929, 0.08936557918787003),
    ],
]
CLASSIFY_TUNED = [
    ("Whataboutism,Straw_Men,Red_Herring", 0.09355824440717697),
    ("Name_Calling,Labeling", 0.08082875609397888),
    ("Whataboutism,Straw_Men,Red_Herring", 0.08505874127149582),
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
    assert [s.technique_score for s in spans] == pytest.approx([r[4] for r in want], abs=1e-5)


def test_golden_classify(tuned: propscope.Pipeline) -> None:
    """TC on given spans: the technique of highest probability, after the temperature."""
    text = TEXTS[0]
    got = tuned.model.classify(text, [(9, 19), (41, 57), (0, len(text))])
    assert [t for t, _p in got] == [t for t, _p in CLASSIFY_TUNED]
    assert [p for _t, p in got] == pytest.approx([p for _t, p in CLASSIFY_TUNED], abs=1e-5)
