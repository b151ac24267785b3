"""What an ensemble of detector folders would give on PTC dev: each window's span-tagger
logits averaged over the members (the span classifier stays the first member's), decoder tuned
on dev. An ensemble costs one encoder pass per member, so it is measured, not shipped.

    .venv/bin/python benchmarks/ensemble.py MODEL_DIR MODEL_DIR [...] [--data DIR]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from propscope.corpus.ptc import read_split
from propscope.detector import DetectorModel
from propscope.infer.encoder import AveragingEncoder, OnnxEncoder
from propscope.models.folder import ModelFolder
from propscope.training.tune import tune

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared/data/ptc-semeval2020/datasets"


def ensemble(folders: list[ModelFolder]) -> DetectorModel:
    """Member 0's folder (tokenizer, runtime, span classifier) with every member's encoder."""
    encoders = [OnnxEncoder(f.file("model.onnx")) for f in folders]
    return DetectorModel.from_folder(folders[0], AveragingEncoder(encoders))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("models", type=Path, nargs="+")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    a = ap.parse_args()
    dev = read_split(a.data, "dev")
    folders = [ModelFolder.read(m) for m in a.models]
    members = [
        (m.name, DetectorModel.from_folder(f)) for m, f in zip(a.models, folders, strict=True)
    ]
    rows = []
    for name, model in [*members, ("ensemble", ensemble(folders))]:
        _, rep = tune(model, dev, log=lambda _m: None)
        rows.append((name, rep))
        print(f"{name}: {json.dumps({k: round(v, 4) for k, v in rep.items()})}", flush=True)
    print("\n| model | SI P | SI R | SI F1 | TC micro-F1 | full F1 |\n|---|---|---|---|---|---|")
    for name, r in rows:
        print(
            f"| {name} | {r['si_precision']:.4f} | {r['si_recall']:.4f} | {r['si_f1']:.4f} | "
            f"{r['tc_micro_f1']:.4f} | {r['full_f1']:.4f} |"
        )


if __name__ == "__main__":
    main()
