"""The ONNX detector runtime, on the checked-in tiny random model."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import propscope
from propscope.detector import DetectorModel
from propscope.errors import PropscopeError

TEXT = "The so-called experts lied again.\nOur country deserves better, and everyone knows it."


def test_spans_index_the_original_text(tiny_model_dir: Path) -> None:
    nlp = propscope.load(tiny_model_dir)
    a = nlp.analyze(TEXT)
    assert a.spans, "the tiny model marks some spans at threshold 0.3"
    d = a.to_dict()
    assert d["model"]["name"] == "propscope-tiny-fixture"
    for s in d["spans"]:
        assert 0 <= s["start"] < s["end"] <= len(TEXT)
        assert TEXT[s["start"] : s["end"]] == s["text"]
        assert s["technique"] in propscope.LABELS
        assert 0.0 <= s["score"] <= 1.0


def test_classify_gives_one_label_per_span(tiny_model_dir: Path) -> None:
    model = DetectorModel.load(tiny_model_dir)
    spans = [(4, 13), (14, 21), (34, 45)]
    out = model.classify(TEXT, spans)
    assert len(out) == 3
    assert all(label in propscope.LABELS and 0 <= p <= 1 for label, p in out)


def test_long_text_is_split_into_windows(tiny_model_dir: Path) -> None:
    model = DetectorModel.load(tiny_model_dir)
    text = " ".join(f"word{i}" for i in range(400))
    states = model.scorer.score_block(text, 0, len(text))
    assert states is not None
    # every token got a probability row from some window, and offsets are increasing
    assert (states.probs.sum(1) > 0.99).all()
    assert (states.offsets[1:, 0] >= states.offsets[:-1, 0]).all()


def _copy(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst)
    return dst


def test_tampered_model_is_refused(tiny_model_dir: Path, tmp_path: Path) -> None:
    bad = _copy(tiny_model_dir, tmp_path / "m")
    head = (bad / "tc_head.npz").read_bytes()
    (bad / "tc_head.npz").write_bytes(head[:-1] + bytes([head[-1] ^ 1]))
    with pytest.raises(PropscopeError) as info:
        DetectorModel.load(bad)
    assert info.value.code.value == "E020"
    assert "sha256" in info.value.message


def test_incomplete_model_folder_is_refused(tiny_model_dir: Path, tmp_path: Path) -> None:
    bad = _copy(tiny_model_dir, tmp_path / "m")
    (bad / "labels.json").unlink()
    with pytest.raises(PropscopeError) as info:
        propscope.load(bad)
    assert info.value.code.value == "E020"
    assert "labels.json" in info.value.message


def test_meta_records_the_decoder(tiny_model_dir: Path) -> None:
    meta = json.loads((tiny_model_dir / "meta.json").read_text())
    assert DetectorModel.load(tiny_model_dir).cfg.threshold == meta["decoder"]["threshold"]


def test_analysing_never_imports_torch(tiny_model_dir: Path) -> None:
    code = (
        "import sys, propscope\n"
        f"nlp = propscope.load({str(tiny_model_dir)!r})\n"
        f"a = nlp.analyze({TEXT!r})\n"
        "assert a.spans\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('torch', 'transformers'))\n"
        "print(bad)\n"
        "sys.exit(1 if bad else 0)\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr


def test_cli_uses_a_model_folder(tiny_model_dir: Path, tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text(TEXT, encoding="utf-8")
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "propscope.cli.main",
            "analyze",
            str(f),
            "--format",
            "json",
            "--model",
            str(tiny_model_dir),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["model"]["name"] == "propscope-tiny-fixture"
    assert all(TEXT[s["start"] : s["end"]] == s["text"] for s in d["spans"])
