"""Claims benchmark: CT24 check-worthiness F1 and the speed of sentence splitting and facts.

    .venv/bin/python benchmarks/claims.py [--ct24 DIR] [--ptc DIR] [--model DIR] [--json]

* precision / recall / F1 of the check-worthy class on CT24 dev and dev-test, each sentence
  scored alone with the shipped threshold;
* sentences/s and characters/s of ``split_sentences`` and ``extract_facts_batch`` on the PTC
  dev articles (facts on every sentence, one batch per article, spaCy loaded beforehand).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

from propscope.claims.facts import extract_facts_batch, load_nlp
from propscope.corpus.ct24 import find_split, read_tsv
from propscope.corpus.ptc import read_articles
from propscope.evaluate import evaluate_claims
from propscope.pipeline import load_model
from propscope.segment.sentences import split_sentences

SHARED = Path(__file__).resolve().parents[2] / "shared/data"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--ct24", type=Path, default=SHARED / "ct24-checkworthy-english")
    ap.add_argument("--ptc", type=Path, default=SHARED / "ptc-semeval2020/datasets")
    ap.add_argument("--model", default=None)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    model = load_model(args.model)
    r: dict[str, Any] = {"model": model.info.name}
    for split in ("dev", "dev-test"):
        r[split] = evaluate_claims(model, read_tsv(find_split(args.ct24, split)))
    texts = [d.text for d in read_articles(args.ptc / "dev-articles").values()]
    chars = sum(map(len, texts))
    t0 = time.perf_counter()
    sents = [split_sentences(t) for t in texts]
    dt = time.perf_counter() - t0
    n = sum(map(len, sents))
    r["sentences"] = {
        "sentences": n,
        "seconds": dt,
        "sentences_per_s": n / dt,
        "chars_per_s": chars / dt,
    }
    load_nlp()
    t0 = time.perf_counter()
    n_facts = sum(
        len(fs) for t, ss in zip(texts, sents, strict=True) for fs in extract_facts_batch(t, ss)
    )
    dt = time.perf_counter() - t0
    r["facts"] = {
        "sentences": n,
        "facts": n_facts,
        "seconds": dt,
        "sentences_per_s": n / dt,
        "chars_per_s": chars / dt,
    }
    if args.json:
        print(json.dumps(r, indent=2))
        return
    print(f"# claims benchmark, model {r['model']}")
    print()
    print("| CT24 split | sentences | precision | recall | F1 |")
    print("|---|---|---|---|---|")
    for split in ("dev", "dev-test"):
        c = r[split]
        print(
            f"| {split} | {c['sentences']} | {c['precision']:.4f} | {c['recall']:.4f} | "
            f"{c['f1']:.4f} |"
        )
    print()
    print("| step (PTC dev, 75 articles) | sentences/s | characters/s |")
    print("|---|---|---|")
    for key, name in (("sentences", "sentence splitting"), ("facts", "facts (spaCy NER + rules)")):
        v = r[key]
        print(f"| {name} | {v['sentences_per_s']:,.0f} | {v['chars_per_s']:,.0f} |")


if __name__ == "__main__":
    main()
