"""The shipped model: it loads (every sha256 checked), its labels are propscope's, and the
figures the README and the model card quote are the ones its meta.json records."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from propscope.model import DEFAULT_MODEL_DIR
from propscope.models.folder import ModelFolder, model_card, sha256_of
from propscope.techniques import LABELS

README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.fixture(scope="module")
def shipped() -> ModelFolder:
    return ModelFolder.read(DEFAULT_MODEL_DIR)  # checks every recorded sha256


def _row(text: str, label: str) -> list[float]:
    """The numbers of the README table row that starts with ``| label |``."""
    m = re.search(r"^\| " + re.escape(label) + r" \|(.*)$", text, re.MULTILINE)
    assert m is not None, f"README has no row {label!r}"
    return [float(x) for x in re.findall(r"\b\d\.\d{4}\b", m.group(1))]


def test_shipped_folder_is_complete_and_hashed(shipped: ModelFolder) -> None:
    names = set(shipped.meta.sha256)
    assert {
        "model.onnx",
        "tokenizer.json",
        "tc_head.npz",
        "labels.json",
        "claims.onnx",
    } <= names
    assert "claims_head.npz" not in names and not (DEFAULT_MODEL_DIR / "claims_head.npz").exists()
    for name, digest in shipped.meta.sha256.items():
        assert sha256_of(DEFAULT_MODEL_DIR / name) == digest
    assert list(shipped.meta.labels) == list(LABELS)
    assert shipped.tc_head().n_out == len(LABELS)
    assert shipped.has_claims_model
    c = shipped.meta.claims
    assert c is not None and 0 < c.threshold < 1 and c.platt != (1.0, 0.0)
    size = sum(p.stat().st_size for p in DEFAULT_MODEL_DIR.iterdir())
    assert size < 70_000_000  # the brief's limit on the shipped folder


def test_model_card_is_generated_from_meta(shipped: ModelFolder) -> None:
    assert (DEFAULT_MODEL_DIR / "MODEL_CARD.md").read_text() == model_card(shipped.meta)


def test_readme_quality_table_quotes_meta(shipped: ModelFolder) -> None:
    ev = shipped.meta.metrics["dev_eval"]
    text = README.read_text(encoding="utf-8")
    r4 = lambda x: round(x, 4)  # noqa: E731
    assert _row(text, "SI") == [r4(ev["si_precision"]), r4(ev["si_recall"]), r4(ev["si_f1"])]
    assert _row(text, "TC micro-F1 (gold spans)") == [r4(ev["tc_micro_f1"])]
    assert _row(text, "full task") == [
        r4(ev["full_precision"]),
        r4(ev["full_recall"]),
        r4(ev["full_f1"]),
    ]
    assert _row(text, "span score ECE")[0] == r4(ev["span_ece"])
    assert _row(text, "technique score ECE")[0] == r4(ev["technique_ece"])
    assert _row(text, "gold characters covered, spans over 20 words")[0] == r4(
        ev["long_span_chars_covered"]
    )
    sentence = _row(text, "sentences with a technique (score >= 0.5)")
    assert sentence[2:4] == [r4(ev["sentence_f1"]), r4(ev["sentence_roc_auc"])]


def test_readme_claims_table_quotes_meta(shipped: ModelFolder) -> None:
    assert shipped.meta.claims is not None
    m = shipped.meta.claims.metrics
    text = README.read_text(encoding="utf-8")
    for split in m:
        want = [round(m[split][k], 4) for k in ("precision", "recall", "f1", "map")]
        assert _row(text, split) == want, split
    assert f"F1={m['ct24/dev-test']['f1']:.4f}" in text  # eval-claims' last line


def test_readme_operating_points_quote_meta(shipped: ModelFolder) -> None:
    """The sensitivity table: P and R on the train folds (tune-decoder) and P, R, F1 on dev."""
    text = README.read_text(encoding="utf-8")
    folds = shipped.meta.metrics["folds"]["operating_points"]
    dev = shipped.meta.metrics["dev_eval"]["operating_points"]
    assert set(shipped.meta.operating_points) == {"precise", "balanced", "sensitive"}
    for name, m in shipped.meta.operating_points.items():
        assert folds[name]["min_score"] == dev[name]["min_score"] == m
        want = [
            folds[name]["si_p"],
            folds[name]["si_r"],
            *(dev[name][k] for k in ("precision", "recall", "f1")),
        ]
        assert _row(text, name) == [round(x, 4) for x in want]
    assert shipped.meta.decoder.min_score == shipped.meta.operating_points["balanced"]
