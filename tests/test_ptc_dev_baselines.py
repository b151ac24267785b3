"""Reference numbers on the real PTC dev split, through the scorers.

Needs the corpus at ``../shared/data/ptc-semeval2020/datasets`` (next to the repository);
skipped where it is absent.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from propscope.baseline import LinesModel
from propscope.corpus.ptc import read_label_file, read_split
from propscope.corpus.text import read_text
from propscope.evaluate import evaluate_docs
from propscope.scoring import PRF, full_score, merge_intervals, si_score, tc_score

DATASETS = Path(__file__).resolve().parents[2] / "shared/data/ptc-semeval2020/datasets"

if not (DATASETS / "dev-articles").is_dir():
    reason = f"PTC corpus not found at {DATASETS}"
    print(reason)
    pytest.skip(reason, allow_module_level=True)


@pytest.fixture(scope="module")
def dev():
    return read_split(DATASETS, "dev")


def test_dev_counts(dev) -> None:
    assert len(dev) == 75
    assert sum(len(d.spans) for d in dev) == 1063
    assert sum(len(d.si_spans) for d in dev) == 940
    assert sum(1 for d in dev if d.spans) == 74


def test_dev_si_gold_is_the_tc_gold_merged(dev) -> None:
    for d in dev:
        assert merge_intervals((s.start, s.end) for s in d.spans) == d.si_spans, d.id


def test_dev_gold_against_itself_is_one(dev) -> None:
    si = {d.id: d.si_spans for d in dev}
    tc = {d.id: [(s.start, s.end, s.technique or "") for s in d.spans] for d in dev}
    assert si_score(si, si) == PRF(1.0, 1.0, 1.0)
    assert tc_score(tc, tc).micro_f1 == 1.0
    assert full_score(tc, tc)[0] == PRF(1.0, 1.0, 1.0)


def test_lines_baseline_on_dev(dev) -> None:
    res = evaluate_docs(LinesModel(), dev)
    assert round(res["si"]["f1"], 3) == 0.188
    assert round(res["tc"]["micro_f1"], 3) == 0.306
    assert (res["tc"]["correct"], res["tc"]["total"]) == (325, 1063)  # Loaded_Language count


def test_lines_baseline_scored_against_the_si_label_files(dev) -> None:
    model = LinesModel()
    pred = {d.id: [(s.start, s.end) for s in model.detect(d.text)] for d in dev}
    gold = {d.id: d.si_spans for d in dev}
    assert round(si_score(pred, gold).f1, 3) == 0.188


def test_eval_cli_gives_the_same_numbers() -> None:
    cmd = [sys.executable, "-m", "propscope.cli.main", "eval", "--data", str(DATASETS)]
    cmd += ["--json", "--model", "builtin:lines"]
    proc = subprocess.run(cmd, capture_output=True, encoding="utf-8", timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    res = json.loads(proc.stdout)
    assert round(res["si"]["f1"], 3) == 0.188
    assert round(res["tc"]["micro_f1"], 3) == 0.306


@pytest.mark.parametrize("aid", ["712382330", "705409419"])
def test_bom_articles_count_the_bom_as_character_0(aid: str) -> None:
    text = read_text(DATASETS / "train-articles" / f"article{aid}.txt")
    assert text[0] == "\ufeff"
    labels = DATASETS / "train-labels-task-flc-tc" / f"article{aid}.task-flc-tc.labels"
    rows = list(read_label_file(labels, with_technique=True))
    assert rows
    for _n, _aid, _tech, start, end in rows:
        frag = text[start:end]
        # the corpus spans are trimmed: read with utf-8-sig they would be off by one
        assert frag == frag.strip(" \n.,:;"), (start, end, frag)
