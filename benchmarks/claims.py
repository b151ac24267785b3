"""Claims benchmark: the shipped check-worthiness model on every labelled set, its calibration,
the share of news sentences it marks, and the speed of sentence splitting and facts.

    .venv/bin/python benchmarks/claims.py [--data DIR] [--model DIR] [--news-docs N] [--json]

* every check-worthiness set in ``../shared/data`` (``corpus/checkworthy.py``): precision,
  recall and F1 of the check-worthy class at the model's threshold and MAP (sentences ranked
  per debate or topic), beside the best published figure in each set's official metric;
  sentences are scored alone, as the sets label them, through the runtime (int8 ONNX);
* the reliability table (10 bins) of ``claims[].score`` on CT24 dev-test (held out: neither
  the checkpoint, nor the calibration, nor the threshold was chosen on it);
* the share of sentences at or above the threshold in ``--news-docs`` unlabeled news articles
  (``split_sentences``, as the pipeline does), with the score distribution;
* sentences/s and characters/s of ``split_sentences`` and ``extract_facts_batch`` on the PTC
  dev articles (facts on every sentence, one batch per article, spaCy loaded beforehand).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

import numpy as np

from propscope.corpus.checkworthy import load_all
from propscope.corpus.ptc import read_articles
from propscope.detector import DetectorModel
from propscope.model import DEFAULT_MODEL_DIR
from propscope.segment.sentences import split_sentences
from propscope.training.cw_ship import calibration_report, report

SHARED = Path(__file__).resolve().parents[2] / "shared/data"
NEWS = "unlabeled-news/allsides_abp_2015-2020.part-02-of-03.jsonl"

# best published figure per set, in its official metric, on the same test data
BEST = {
    "ct24/dev-test": (
        "F1 0.898",
        "OpenFact, CheckThat! 2023 Task 1B English test (= CT24 dev-test), fine-tuned GPT-3",
    ),
    "clef2019/test": ("MAP 0.166", "Copenhagen, CheckThat! 2019 Task 1 (primary run)"),
    "clef2020t5/test": ("MAP 0.087", "NLPIR01, CheckThat! 2020 Task 5"),
    "clef2020t1/test": ("MAP 0.806", "Accenture, CheckThat! 2020 Task 1 English"),
    "ct24/dev": ("-", "not a test set"),
    "clef2020t1/dev": ("-", "not a test set"),
}


def news_share(model: DetectorModel, path: Path, docs: int) -> dict[str, Any]:
    assert model.claims_model is not None and model.claim_threshold is not None
    scores: list[float] = []
    with path.open(encoding="utf-8") as f:
        for _, line in zip(range(docs), f, strict=False):
            text = json.loads(line).get("text") or ""
            sents = [text[b:e] for b, e in split_sentences(text)]
            scores += model.claims_model.probabilities(sents)
    p = np.array(scores)
    return {
        "articles": docs,
        "sentences": len(p),
        "share_at_threshold": float((p >= model.claim_threshold).mean()) if len(p) else 0.0,
        "share_ge_0.95": float((p >= 0.95).mean()) if len(p) else 0.0,
        "quartiles": [round(float(q), 4) for q in np.quantile(p, [0.25, 0.5, 0.75])],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--data", type=Path, default=SHARED)
    ap.add_argument("--model", type=Path, default=DEFAULT_MODEL_DIR)
    ap.add_argument("--news-docs", type=int, default=300)
    ap.add_argument("--no-speed", action="store_true", help="skip the sentence/facts timing")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    model = DetectorModel.load(args.model)
    if model.claims_model is None or model.claim_threshold is None:
        raise SystemExit(f"{args.model} has no claims model (claims.onnx)")
    th = model.claim_threshold
    d = load_all(args.data)
    r: dict[str, Any] = {"model": f"{model.info.name} {model.info.version}", "threshold": th}
    probs = {
        name: np.array(model.claims_model.probabilities([x.text for x in rows]))
        for name, rows in d.evaluation.items()
    }
    sets = report(d.evaluation, probs, th)  # what ship-claims records in meta.json
    for name, s in sets.items():
        s["best_published"] = BEST.get(name, ("-", ""))[0]
    held = "ct24/dev-test"
    gold = np.array([x.label for x in d.evaluation[held]], dtype=bool)
    r["reliability"] = calibration_report(held, probs[held], gold)
    r["sets"] = sets
    r["news"] = news_share(model, args.data / NEWS, args.news_docs)
    if not args.no_speed:
        r.update(speed(args.data / "ptc-semeval2020/datasets"))
    if args.json:
        print(json.dumps(r, indent=2))
        return
    print_tables(r)


def speed(ptc: Path) -> dict[str, Any]:
    from propscope.claims.facts import extract_facts_batch, load_nlp

    texts = [d.text for d in read_articles(ptc / "dev-articles").values()]
    chars = sum(map(len, texts))
    t0 = time.perf_counter()
    sents = [split_sentences(t) for t in texts]
    dt = time.perf_counter() - t0
    n = sum(map(len, sents))
    out = {"sentences": {"sentences_per_s": n / dt, "chars_per_s": chars / dt}}
    load_nlp()
    t0 = time.perf_counter()
    for t, ss in zip(texts, sents, strict=True):
        extract_facts_batch(t, ss)
    dt = time.perf_counter() - t0
    out["facts"] = {"sentences_per_s": n / dt, "chars_per_s": chars / dt}
    return out


def print_tables(r: dict[str, Any]) -> None:
    print(f"# claims benchmark, model {r['model']}, threshold {r['threshold']:.2f}")
    print()
    print("| set | sentences | check-worthy | precision | recall | F1 | MAP | best published |")
    print("|---|---|---|---|---|---|---|---|")
    for name, s in r["sets"].items():
        print(
            f"| {name} | {s['sentences']:,} | {s['positives']:,} | {s['precision']:.4f} "
            f"| {s['recall']:.4f} | {s['f1']:.4f} | {s['map']:.4f} | {s['best_published']} |"
        )
    rel = r["reliability"]
    print()
    print(f"Reliability of claims[].score on {rel['set']} (ECE {rel['ece']:.4f}):")
    print()
    print("| bin | sentences | mean score | observed check-worthy share |")
    print("|---|---|---|---|")
    for b in rel["table"]:
        cells = f"{b['mean_predicted']:.3f} | {b['observed']:.3f}" if b["n"] else "- | -"
        print(f"| {b['lo']:.1f}-{b['hi']:.1f} | {b['n']} | {cells} |")
    n = r["news"]
    print()
    print(
        f"Unlabeled news ({n['articles']} articles, {n['sentences']:,} sentences): "
        f"{n['share_at_threshold']:.1%} of sentences at or above the threshold, "
        f"{n['share_ge_0.95']:.1%} at 0.95 or more; score quartiles {n['quartiles']}."
    )
    if "facts" in r:
        print()
        print("| step (PTC dev, 75 articles) | sentences/s | characters/s |")
        print("|---|---|---|")
        for key, name in (
            ("sentences", "sentence splitting"),
            ("facts", "facts (spaCy NER + rules)"),
        ):
            v = r[key]
            print(f"| {name} | {v['sentences_per_s']:,.0f} | {v['chars_per_s']:,.0f} |")


if __name__ == "__main__":
    main()
