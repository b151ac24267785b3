"""Quality benchmark: the shipped (or given) model on PTC dev, with the official metrics.

    .venv/bin/python benchmarks/quality.py [--data DIR] [--model DIR] [--split dev] [--json]

Prints SI precision/recall/F1, TC micro-F1 on the gold spans, the full-task score,
per-technique F1 and the expected calibration error of the span confidences.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from propscope.corpus.ptc import read_split
from propscope.evaluate import evaluate_docs, evaluate_sentences
from propscope.pipeline import load_model

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared/data/ptc-semeval2020/datasets"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--model", default=None)
    ap.add_argument("--split", default="dev")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    model = load_model(args.model)
    t0 = time.perf_counter()
    docs = read_split(args.data, args.split)
    r = evaluate_docs(model, docs)
    r["sentence_level"] = evaluate_sentences(model, docs)
    r["seconds"] = time.perf_counter() - t0
    if args.json:
        print(json.dumps(r, indent=2))
        return
    m = r["model"]
    print(
        f"# {m['name']} {m['version']} on PTC {args.split} ({r['articles']} articles, "
        f"{r['gold_spans']} gold / {r['predicted_spans']} predicted spans, {r['seconds']:.1f} s)"
    )
    print()
    print("| metric | precision | recall | F1 |")
    print("|---|---|---|---|")
    si, full = r["si"], r["full"]
    print(f"| SI | {si['precision']:.4f} | {si['recall']:.4f} | {si['f1']:.4f} |")
    print(f"| TC micro-F1 (gold spans) | | | {r['tc']['micro_f1']:.4f} |")
    print(f"| full task | {full['precision']:.4f} | {full['recall']:.4f} | {full['f1']:.4f} |")
    c = r["calibration"]
    print(
        f"| span confidence ECE | | | {c['ece']:.4f} (mean conf {c['mean_confidence']:.3f}, "
        f"share right {c['accuracy']:.3f}) |"
    )
    sl = r["sentence_level"]
    print(
        f"| sentences with a technique (score >= {sl['threshold']}) | {sl['precision']:.4f} "
        f"| {sl['recall']:.4f} | {sl['f1']:.4f} (ROC AUC {sl['roc_auc']:.4f}, "
        f"{sl['positives']}/{sl['sentences']} positive) |"
    )
    print()
    print("| technique | gold spans | TC F1 | full-task F1 |")
    print("|---|---|---|---|")
    for label, v in r["per_technique"].items():
        print(f"| {label} | {v['support']} | {v['tc_f1']:.3f} | {v['full_f1']:.3f} |")


if __name__ == "__main__":
    main()
