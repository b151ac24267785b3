"""Loading models and running the pipeline."""

from __future__ import annotations

from pathlib import Path

import pytest

import propscope
from propscope.errors import Code, PropscopeError
from propscope.pipeline import Pipeline, load, load_model


def test_builtin_models_load() -> None:
    assert load_model("builtin:lines").info.name == "propscope-lines-baseline"
    assert load_model("builtin:lexicon").info.name == "propscope-lexicon-baseline"


def test_unknown_builtin_is_e020() -> None:
    with pytest.raises(PropscopeError) as info:
        load_model("builtin:bert")
    assert info.value.code is Code.BAD_MODEL


def test_missing_model_folder_is_e020(tmp_path: Path) -> None:
    with pytest.raises(PropscopeError) as info:
        load_model(tmp_path / "none")
    assert info.value.code is Code.BAD_MODEL
    assert info.value.path == str(tmp_path / "none")


def test_analyze_returns_sorted_spans_and_a_baseline_warning() -> None:
    a = propscope.analyze("This is fake news, evil and outrageous.", model="builtin:lexicon")
    assert [(s.start, s.end) for s in a.spans] == sorted((s.start, s.end) for s in a.spans)
    assert [s.text_in(a.text) for s in a.spans] == ["fake", "fake news", "evil", "outrageous"]
    assert [w["code"] for w in a.warnings] == ["W003"]


@pytest.mark.parametrize("text", ["", " ", "\n\n\t"])
def test_empty_or_blank_text_has_no_spans(text: str) -> None:
    d = load("builtin:lines").analyze(text).to_dict()
    assert d["spans"] == []
    assert d["schema"] == "propscope.analysis/2"
    assert d["text_length"] == len(text)


def test_pipe_streams_in_order() -> None:
    p = Pipeline(load_model("builtin:lines"))
    texts = ["a", "", "b\nc"]
    out = list(p.pipe(iter(texts)))
    assert [a.text for a in out] == texts
    assert [len(a.spans) for a in out] == [1, 0, 2]
