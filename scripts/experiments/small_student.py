"""Experiment (not shipped): how fast and how good is a 3-layer student on this CPU?

Cuts layers 0, 2 and 4 out of a 6-layer detector checkpoint, has the shipped model label 1,500
news articles (not those its teacher labelled), trains the 3-layer encoder for 3 epochs on PTC
train plus the first 500 of them (about 25 minutes on 2 cores), then exports it:

    .venv/bin/python scripts/experiments/small_student.py --checkpoint CKPT --out runs/small
    .venv/bin/propscope train-claims --model runs/small/model --data CT24DIR
    .venv/bin/python benchmarks/speed.py --model runs/small/model

CKPT is the 6-layer checkpoint the shipped model was exported from (``distill join`` output).
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

import torch
from safetensors.torch import save_file

from propscope.detector import DetectorModel
from propscope.pipeline import DEFAULT_MODEL_DIR
from propscope.training.base import minilm_path
from propscope.training.export import export
from propscope.training.pseudo import label_articles, read_news
from propscope.training.train import TrainConfig, train

DATA = Path(__file__).resolve().parents[3] / "shared/data"
KEEP = [0, 2, 4]


def cut(checkpoint: Path, out: Path) -> Path:
    ck = torch.load(checkpoint, weights_only=False, map_location="cpu")
    weights = {}
    for key, value in ck["model"].items():
        if not key.startswith("encoder."):
            continue
        key = key.removeprefix("encoder.")
        if key.startswith("encoder.layer."):
            i = int(key.split(".")[2])
            if i not in KEEP:
                continue
            key = key.replace(f"encoder.layer.{i}.", f"encoder.layer.{KEEP.index(i)}.", 1)
        weights[key] = value.float().contiguous()
    base = out / "base3"
    base.mkdir(parents=True, exist_ok=True)
    config = json.loads((minilm_path() / "config.json").read_text())
    config["num_hidden_layers"] = len(KEEP)
    (base / "config.json").write_text(json.dumps(config))
    shutil.copy(minilm_path() / "tokenizer.json", base / "tokenizer.json")
    save_file(weights, str(base / "model.safetensors"), metadata={"format": "pt"})
    return base


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--checkpoint", type=Path, required=True)
    ap.add_argument("--out", type=Path, default=Path("runs/small"))
    ap.add_argument("--data", type=Path, default=DATA)
    a = ap.parse_args()
    ptc = a.data / "ptc-semeval2020/datasets"
    base = cut(a.checkpoint, a.out)
    labels = a.out / "pseudo.jsonl"
    if not labels.exists():
        news = a.data / "unlabeled-news/allsides_abp_2015-2020.part-00-of-03.jsonl"
        articles = list(read_news(news, limit=5500))[4000:]  # the teacher labelled the first 4,000
        label_articles(DetectorModel.load(DEFAULT_MODEL_DIR), iter(articles), labels)
    first = a.out / "pseudo500.jsonl"
    first.write_text("".join(labels.read_text().splitlines(keepends=True)[:500]))
    cfg = TrainConfig(base=str(base), epochs=3, pseudo=str(first), pseudo_epochs=3, threads=2)
    train(ptc, a.out / "run", cfg, resume=True)
    export(a.out / "run/best.pt", a.out / "model", ptc, name="propscope-3layer", version="exp")


if __name__ == "__main__":
    main()
