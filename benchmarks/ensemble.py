"""What an ensemble of detector folders would give on PTC dev: each window's span-tagger
logits averaged over the members (the span classifier stays the first member's), decoder tuned
on dev. An ensemble costs one encoder pass per member, so it is measured, not shipped.

    .venv/bin/python benchmarks/ensemble.py MODEL_DIR MODEL_DIR [...] [--data DIR]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import numpy as np

from propscope.corpus.ptc import read_split
from propscope.infer.onnx_model import OnnxModel
from propscope.training.tune import tune

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared/data/ptc-semeval2020/datasets"


class Ensemble(OnnxModel):
    def __init__(self, members: list[OnnxModel]) -> None:  # shares member 0, no super()
        self.__dict__.update(members[0].__dict__)
        self.members = members

    def _run(self, ids_list: list[Any]) -> tuple[Any, Any]:
        outs = [m._run(ids_list) for m in self.members]
        return outs[0][0], np.mean([o[1] for o in outs], axis=0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("models", type=Path, nargs="+")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    a = ap.parse_args()
    dev = read_split(a.data, "dev")
    members = [OnnxModel.load(m) for m in a.models]
    rows = []
    for name, model in [(m.name, mm) for m, mm in zip(a.models, members, strict=True)] + [
        ("ensemble", Ensemble(members))
    ]:
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
