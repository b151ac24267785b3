"""Quality benchmark: the shipped (or given) model on PTC dev, with the official metrics.

    .venv/bin/python benchmarks/quality.py [--data DIR] [--model DIR] [--split dev] [--json]
                                           [--record]

``--record`` writes the dev figures into the model folder's meta.json ("metrics.dev_eval") and
its model card, through ``ModelFolder`` (the README's quality table quotes them; a test checks
that README, model card and meta.json agree).

Prints SI precision/recall/F1, TC micro-F1 on the gold spans, the full-task score,
per-technique F1 and the expected calibration error of the span confidences.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from propscope.corpus.ptc import read_split
from propscope.evaluate import evaluate_docs, evaluate_sentences
from propscope.model import DEFAULT_MODEL_DIR, load_model
from propscope.models.folder import ModelFolder

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared/data/ptc-semeval2020/datasets"


def record(path: Path, r: dict[str, Any], split: str) -> None:
    if split != "dev":
        raise SystemExit("--record stores dev figures only")
    folder = ModelFolder.read(path)
    si, full, sl = r["si"], r["full"], r["sentence_level"]
    figures = {
        "si_precision": si["precision"],
        "si_recall": si["recall"],
        "si_f1": si["f1"],
        "tc_micro_f1": r["tc"]["micro_f1"],
        "full_precision": full["precision"],
        "full_recall": full["recall"],
        "full_f1": full["f1"],
        "span_ece": r["calibration"]["span"]["ece"],
        "technique_ece": r["calibration"]["technique"]["ece"],
        "span_reliability": r["calibration"]["span"]["table"],
        "technique_reliability": r["calibration"]["technique"]["table"],
        "operating_points": r["operating_points"],
        "long_span_chars_covered": r["long_spans"]["chars_covered"],
        "all_span_chars_covered": r["all_spans"]["chars_covered"],
        "sentence_f1": sl["f1"],
        "sentence_roc_auc": sl["roc_auc"],
        "predicted_spans": r["predicted_spans"],
    }
    meta = folder.meta
    folder.update(replace(meta, metrics={**meta.metrics, "dev_eval": figures}))
    print(f"recorded in {path / 'meta.json'}", file=sys.stderr)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--model", default=None)
    ap.add_argument("--split", default="dev")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--record", action="store_true", help="store the dev figures in the folder")
    args = ap.parse_args()
    model = load_model(args.model)
    t0 = time.perf_counter()
    docs = read_split(args.data, args.split)
    r = evaluate_docs(model, docs)
    r["sentence_level"] = evaluate_sentences(model, docs)
    r["seconds"] = time.perf_counter() - t0
    if args.record:
        record(Path(args.model) if args.model else DEFAULT_MODEL_DIR, r, args.split)
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
    for key, label in (("span", "span score ECE"), ("technique", "technique score ECE")):
        c = r["calibration"][key]
        print(
            f"| {label} | | | {c['ece']:.4f} (mean {c['mean_predicted']:.3f}, "
            f"observed {c['observed']:.3f}, {c['n']} spans) |"
        )
    sl = r["sentence_level"]
    print(
        f"| sentences with a technique (score >= {sl['threshold']}) | {sl['precision']:.4f} "
        f"| {sl['recall']:.4f} | {sl['f1']:.4f} (ROC AUC {sl['roc_auc']:.4f}, "
        f"{sl['positives']}/{sl['sentences']} positive) |"
    )
    ls, al = r["long_spans"], r["all_spans"]
    print(
        f"| gold characters covered: all spans / spans > {ls['min_words']} words | | | "
        f"{al['chars_covered']:.4f} / {ls['chars_covered']:.4f} ({ls['gold_spans']} long spans, "
        f"{ls['touched']:.2f} touched) |"
    )
    if r["operating_points"]:
        print()
        print("| sensitivity | min score | spans | SI precision | SI recall | SI F1 | full F1 |")
        print("|---|---|---|---|---|---|---|")
        for name, p in r["operating_points"].items():
            print(
                f"| {name} | {p['min_score']:.2f} | {p['spans']} | {p['precision']:.4f} "
                f"| {p['recall']:.4f} | {p['f1']:.4f} | {p['full_f1']:.4f} |"
            )
    for key, title in (("span", "span score"), ("technique", "technique score (spans that hit)")):
        print()
        print(f"| reliability: {title} | spans | mean score | observed |")
        print("|---|---|---|---|")
        for row in r["calibration"][key]["table"]:
            if row["n"]:
                print(
                    f"| {row['bin']} | {row['n']} | {row['mean_predicted']:.3f} "
                    f"| {row['observed']:.3f} |"
                )
    print()
    print("| technique | gold spans | TC F1 | full-task F1 |")
    print("|---|---|---|---|")
    for label, v in r["per_technique"].items():
        print(f"| {label} | {v['support']} | {v['tc_f1']:.3f} | {v['full_f1']:.3f} |")


if __name__ == "__main__":
    main()
