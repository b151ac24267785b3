"""``propscope.explain``: a range's scores and its words' weights by occlusion (tiny model)."""

from __future__ import annotations

from pathlib import Path

import pytest

import propscope
from propscope.decode.spans import span_probability, technique_probs
from propscope.detector import DetectorModel
from propscope.errors import Code, PropscopeError
from propscope.explain import explain, words_of
from propscope.infer.scores import tokens_in
from propscope.pipeline import Pipeline, load

TINY = Path(__file__).resolve().parent / "fixtures" / "tiny-model"
TEXT = "The corrupt elites will destroy our great nation. Everyone knows it is true."
# the tiny model's first span of TEXT, and its technique (pinned by the analysis)
SPAN = (0, 31)
WHAT = "Whataboutism,Straw_Men,Red_Herring"


@pytest.fixture(scope="module")
def pipe() -> Pipeline:
    return load(str(TINY), facts=False)


def test_scores_of_a_span_are_the_analysis_scores(pipe: Pipeline) -> None:
    span = pipe.analyze(TEXT).spans[0]
    assert (span.start, span.end, span.technique) == (*SPAN, WHAT)
    e = pipe.explain(TEXT, span.start, span.end)
    assert e.score == pytest.approx(span.score, abs=1e-9)
    assert e.technique.label == WHAT  # none given: the model's most likely technique
    assert e.technique_score == pytest.approx(span.technique_score, abs=1e-9)
    assert e.text == TEXT[0:31] and e.method == "occlusion"


def test_pinned_weights(pipe: Pipeline) -> None:
    d = pipe.explain(TEXT, *SPAN).to_dict()
    assert (d["score"], d["technique_score"]) == (0.6649, 0.1058)
    assert d["window"] == {"start": 0, "end": 48}  # the first sentence's words
    got = [(w["text"], w["weight"], w["technique_weight"]) for w in d["words"]]
    assert got == [
        ("The", 0.0013, 0.0004),
        ("corrupt", 0.0271, 0.0009),
        ("elites", 0.0518, 0.0002),
        ("will", 0.0185, 0.0),
        ("destroy", 0.034, 0.022),
        ("our", 0.0001, 0.0),
        ("great", 0.0, 0.0),
        ("nation", 0.0, 0.0),
    ]
    for w in d["words"]:
        assert TEXT[w["start"] : w["end"]] == w["text"]
        assert str(w["weight"]) != "-0.0" and str(w["technique_weight"]) != "-0.0"


def test_technique_given_changes_only_the_technique_weights(pipe: Pipeline) -> None:
    d = pipe.explain(TEXT, *SPAN, "Loaded_Language").to_dict()
    assert d["technique"]["label"] == "Loaded_Language"
    assert d["technique"]["name"] == "Loaded language"
    assert d["technique_score"] == 0.0518
    assert [w["weight"] for w in d["words"]] == [
        0.0013,
        0.0271,
        0.0518,
        0.0185,
        0.034,
        0.0001,
        0,
        0,
    ]
    assert [w["technique_weight"] for w in d["words"]] == [
        -0.003,
        -0.0001,
        -0.0013,
        -0.0001,
        -0.001,
        0.0,
        0.0,
        0.0,
    ]


def test_a_weight_is_the_score_drop_recomputed_by_hand(pipe: Pipeline) -> None:
    """Occlude "elites" (one token, six characters) by writing [MASK] in its place (the
    tokenizer reads it as the mask token; every offset stays put), score the range through the
    model's own block scorer, span score and span classifier: the drop is the word's weight."""
    model = pipe.model
    assert isinstance(model, DetectorModel)
    e = pipe.explain(TEXT, *SPAN)
    (word,) = [w for w in e.words if w.text == "elites"]
    masked = TEXT[: word.start] + "[MASK]" + TEXT[word.end :]
    assert len(masked) == len(TEXT)
    scores = model.scorer.score_block(masked, 0, len(masked))
    assert scores is not None
    p_in = float(scores.p_inside[tokens_in(scores, *SPAN)].mean())
    score = span_probability(model.cfg, p_in, SPAN[1] - SPAN[0])
    j = model.labels.index(WHAT)
    tprob = float(technique_probs(model.technique_logits(scores, masked, [SPAN]), model.cfg)[0, j])
    assert word.weight == pytest.approx(e.score - score, abs=1e-6)
    assert word.technique_weight == pytest.approx(e.technique_score - tprob, abs=1e-6)
    assert word.weight > 0.05  # a real drop, not a rounding


def test_deterministic(pipe: Pipeline) -> None:
    assert pipe.explain(TEXT, 4, 18) == pipe.explain(TEXT, 4, 18)


def test_window_is_the_sentence_holding_the_range(pipe: Pipeline) -> None:
    e = pipe.explain(TEXT, 59, 64)  # "knows", in the second sentence
    assert [w.text for w in e.words] == ["Everyone", "knows", "it", "is", "true"]
    assert e.window == (50, 75)


def test_long_sentence_is_capped_around_the_range(pipe: Pipeline) -> None:
    text = " ".join(f"w{i}" for i in range(100)) + "."
    start = text.index("w50")
    e = explain(pipe.model, text, start, start + 3, max_words=10)
    assert [w.text for w in e.words] == [f"w{i}" for i in range(45, 55)]
    assert e.window == (text.index("w45"), text.index("w54") + 3)


def test_words_are_letters_and_digits() -> None:
    text = "Don't panic — it's well-known, 3 times!"
    assert [text[s:e] for s, e in words_of(text, 0, len(text))] == [
        "Don't",
        "panic",
        "it's",
        "well-known",
        "3",
        "times",
    ]


@pytest.mark.parametrize(("start", "end"), [(5, 5), (6, 5), (-1, 3), (0, len(TEXT) + 1)])
def test_bad_range_is_e063(pipe: Pipeline, start: int, end: int) -> None:
    with pytest.raises(PropscopeError) as err:
        pipe.explain(TEXT, start, end)
    assert err.value.code is Code.BAD_RANGE
    assert err.value.code.value == "E063"


def test_range_without_a_token_is_e063(pipe: Pipeline) -> None:
    with pytest.raises(PropscopeError) as err:
        pipe.explain("Hello   world", 5, 8)
    assert err.value.code is Code.BAD_RANGE


def test_unknown_technique_is_e012(pipe: Pipeline) -> None:
    with pytest.raises(PropscopeError) as err:
        pipe.explain(TEXT, *SPAN, "Loaded language")
    assert err.value.code is Code.UNKNOWN_TECHNIQUE


def test_baseline_cannot_explain() -> None:
    with pytest.raises(PropscopeError) as err:
        load("builtin:lexicon").explain(TEXT, *SPAN)
    assert err.value.code is Code.BAD_MODEL


def test_exported() -> None:
    assert propscope.explain is explain
    assert {"Explanation", "WordWeight", "explain"} <= set(propscope.__all__)


# --- found by mutation testing (mutmut on explain.py): each test below kills mutants that the
# ones above let live ---


def test_spans_away_from_the_start_keep_the_analysis_scores(pipe: Pipeline) -> None:
    """A span's score depends on its length (end - start): spans that do not start at 0."""
    text = "Nothing to see in this first line.\n" + TEXT + " " + TEXT
    spans = [s for s in pipe.analyze(text).spans if s.start > 0]
    assert len(spans) >= 2
    for s in spans:
        e = pipe.explain(text, s.start, s.end, s.technique)
        assert e.score == pytest.approx(s.score, abs=1e-9), (s.start, s.end)
        # (the analysis classifies its spans together: float32 sums in another order)
        assert e.technique_score == pytest.approx(s.technique_score, abs=1e-6)


def test_top_words_are_the_heaviest_first(pipe: Pipeline) -> None:
    e = pipe.explain(TEXT, *SPAN)
    assert [w.text for w in e.top_words(3)] == ["elites", "destroy", "corrupt"]
    assert [w.text for w in e.top_words()] == ["elites", "destroy", "corrupt", "will", "The"]


def test_the_json_has_every_key_of_the_api(pipe: Pipeline) -> None:
    d = pipe.explain(TEXT, *SPAN).to_dict()
    assert list(d) == [
        "start",
        "end",
        "text",
        "technique",
        "score",
        "technique_score",
        "method",
        "window",
        "words",
    ]
    assert (d["start"], d["end"], d["text"], d["method"]) == (0, 31, TEXT[:31], "occlusion")
    t = propscope.TECHNIQUES[[x.label for x in propscope.TECHNIQUES].index(WHAT)]
    assert d["technique"] == {
        "label": WHAT,
        "name": t.name,
        "definition": t.definition,
        "example": t.example,
    }
    assert list(d["words"][0]) == ["start", "end", "text", "weight", "technique_weight"]


def test_a_range_may_end_at_the_end_of_the_text(pipe: Pipeline) -> None:
    e = pipe.explain(TEXT, 59, len(TEXT))  # "knows it is true."
    assert e.text == "knows it is true." and e.window == (50, len(TEXT))  # words and range


def test_window_far_into_a_text(pipe: Pipeline) -> None:
    """Sentences are found in a stretch around the range (offsets shifted back)."""
    text = "Filler words go here. " * 80 + TEXT
    start = text.index("elites")
    e = pipe.explain(text, start, start + 6)
    assert [w.text for w in e.words] == TEXT[:48].replace(".", "").split()
    assert e.window == (len(text) - len(TEXT), len(text) - len(TEXT) + 48)


@pytest.mark.parametrize(
    ("at", "want"),
    [
        ("w0", range(0, 5)),  # at the start: grows after only
        ("w19", range(15, 20)),  # at the end: grows before only
        ("w10", range(8, 13)),  # inside: before first, then alternately
    ],
)
def test_capped_window_grows_around_the_range(pipe: Pipeline, at: str, want: range) -> None:
    text = " ".join(f"w{i}" for i in range(20)) + "."
    start = text.index(at + " ") if at != "w19" else text.index(at)
    e = explain(pipe.model, text, start, start + len(at), max_words=5)
    assert [w.text for w in e.words] == [f"w{i}" for i in want]


def test_a_range_longer_than_the_cap_keeps_its_first_words(pipe: Pipeline) -> None:
    text = " ".join(f"w{i}" for i in range(20)) + "."
    start, end = text.index("w3 "), text.index("w12") + 3
    e = explain(pipe.model, text, start, end, max_words=5)
    assert [w.text for w in e.words] == [f"w{i}" for i in range(3, 8)]


def test_a_weight_that_rounds_to_minus_zero_is_zero() -> None:
    from propscope.explain import WordWeight

    d = WordWeight(0, 1, "x", -0.00001, -0.00001).to_dict()
    assert str(d["weight"]) == "0.0" and str(d["technique_weight"]) == "0.0"


def _by_hand(pipe: Pipeline, text: str, start: int, end: int, label: str) -> tuple[float, float]:
    """The range's span score and technique score through the model's own block scorer (the
    whole block holding it), span score and span classifier: what explain must give."""
    model = pipe.model
    assert isinstance(model, DetectorModel)
    bs, be = next((s, e) for s, e in model.scorer.blocks(text) if s <= start < e)
    scores = model.scorer.score_block(text, bs, be)
    assert scores is not None
    p_in = float(scores.p_inside[tokens_in(scores, start, end)].mean())
    tprobs = technique_probs(model.technique_logits(scores, text, [(start, end)]), model.cfg)
    return (
        span_probability(model.cfg, p_in, end - start),
        float(tprobs[0, model.labels.index(label)]),
    )


def test_a_range_over_several_encoder_windows(pipe: Pipeline) -> None:
    """The tiny model reads 32 tokens a window: a 40-word range needs several."""
    text = "Intro line.\n" + " ".join(f"word{i} is evil" for i in range(14)) + " today."
    start, end = text.index("word1 "), text.index(" today")
    e = pipe.explain(text, start, end, WHAT)
    assert e.score == pytest.approx(_by_hand(pipe, text, start, end, WHAT)[0], abs=1e-6)
    assert e.technique_score == pytest.approx(_by_hand(pipe, text, start, end, WHAT)[1], abs=1e-6)


def test_a_range_in_a_later_block(pipe: Pipeline) -> None:
    """Texts are read in blocks of 20,000 characters: offsets of the second block."""
    filler = "The committee met and published its minutes on the usual day.\n" * 340
    text = filler + TEXT
    start = len(filler)
    model = pipe.model
    assert isinstance(model, DetectorModel)
    assert next(s for s, e in model.scorer.blocks(text) if s <= start < e) > 0
    e = pipe.explain(text, start, start + 31, WHAT)
    want = _by_hand(pipe, text, start, start + 31, WHAT)
    assert e.score == pytest.approx(want[0], abs=1e-6)
    assert e.technique_score == pytest.approx(want[1], abs=1e-6)
    # pinned (the lines before are context in its encoder windows: not the first block's order)
    assert [w.text for w in e.top_words(2)] == ["destroy", "corrupt"]
