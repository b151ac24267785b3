"""Fine-tune the detector on PTC train, evaluate on dev each epoch, keep the best checkpoint.

    propscope train --data ../shared/data/ptc-semeval2020/datasets --out runs/minilm

Writes ``OUT/train.log``, ``OUT/last.pt`` (resumable) and ``OUT/best.pt``.
"""

from __future__ import annotations

import json
import math
import random
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from propscope.corpus.ptc import Document, read_split
from propscope.evaluate import evaluate_docs
from propscope.infer.tokenize import TextTokenizer
from propscope.techniques import LABELS
from propscope.training.base import minilm_path, resolve_base
from propscope.training.data import Window, doc_windows
from propscope.training.model import Detector, describe_encoder, tiny_detector
from propscope.training.torch_backend import TRAINING_RUNTIME, torch_model


@dataclass
class TrainConfig:
    base: str = "all-MiniLM-L6-v2"
    epochs: int = 6
    batch_size: int = 16
    lr: float = 8e-5
    head_lr: float = 1e-3
    weight_decay: float = 0.01
    warmup: float = 0.06
    window: int = 256
    train_stride: int = 160
    seed: int = 13
    bf16: bool = True
    tc_weight: float = 1.0
    class_weight_power: float = 0.5
    threads: int = 2
    random_offsets: bool = False  # shift the window grid by a random offset every epoch
    anchor: str = "grid"  # "lines": the runtime's windows (a window per line, ``context``)
    context: int = 8
    swap_prob: float = 0.0  # chance, per article and epoch, of training on its name-swapped copy
    device: str = "cpu"  # "cpu", "cuda" or "auto" (cuda where there is one)
    pseudo: str = ""  # JSONL of machine-labelled articles (propscope.training.pseudo)
    pseudo_epochs: int = 0  # the first epochs also train on them; the later ones on gold only
    folds: int = 0  # > 0: cross-validation on train; dev is never read
    fold: int = 0  # which of the ``folds`` train folds is held out (evaluated each epoch)
    evaluate: bool = True  # False: no evaluation per epoch (best.pt is then the last epoch)
    max_steps: int = 0  # 0: no limit (for smoke tests)
    limit_docs: int = 0  # 0: all documents (for smoke tests)


def set_seed(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def collate(batch: list[Window], pad_id: int) -> dict[str, torch.Tensor]:
    n = max(len(w.ids) for w in batch)
    ids = torch.full((len(batch), n), pad_id, dtype=torch.long)
    mask = torch.zeros((len(batch), n), dtype=torch.long)
    bio = torch.full((len(batch), n), -100, dtype=torch.long)
    bi, first, last, lab, ex = [], [], [], [], []
    for i, w in enumerate(batch):
        ids[i, : len(w.ids)] = torch.from_numpy(w.ids)
        mask[i, : len(w.ids)] = 1
        bio[i, : len(w.bio)] = torch.from_numpy(w.bio)
        for f, la, y, e in w.spans:
            bi.append(i)
            first.append(f)
            last.append(la)
            lab.append(y)
            ex.append(e)
    out = {"input_ids": ids, "attention_mask": mask, "bio": bio}
    out["span_batch"] = torch.tensor(bi, dtype=torch.long)
    out["span_first"] = torch.tensor(first, dtype=torch.long)
    out["span_last"] = torch.tensor(last, dtype=torch.long)
    out["span_label"] = torch.tensor(lab, dtype=torch.long)
    out["span_extras"] = torch.from_numpy(np.stack(ex)) if ex else torch.zeros((0, 4))
    return out


def pick_device(spec: str) -> torch.device:
    if spec == "auto":
        spec = "cuda" if torch.cuda.is_available() else "cpu"
    return torch.device(spec)


def log(out: Path, msg: str, name: str = "train.log") -> None:
    """Print ``msg`` with the time and append it to ``out/name``."""
    line = f"{time.strftime('%H:%M:%S')} {msg}"
    print(line, flush=True)
    with (out / name).open("a") as f:
        f.write(line + "\n")


@dataclass
class TrainData:
    """Training windows: the gold articles (and their name-swapped copies), machine-labelled
    articles, and dev for model selection."""

    tok: TextTokenizer
    train_docs: list[Document]
    dev_docs: list[Document]
    per_doc: list[list[Window]]
    aug_docs: list[Document | None]
    swapped: list[list[Window] | None]
    pseudo_wins: list[Window]

    def epoch_windows(self, cfg: TrainConfig, epoch: int, rng: random.Random) -> list[Window]:
        """This epoch's windows: a fresh random grid offset per article (``random_offsets``),
        a name-swapped copy with probability ``swap_prob``, machine labels in the first
        ``pseudo_epochs`` epochs."""
        if cfg.random_offsets and epoch > 0 and cfg.anchor == "grid":
            self.per_doc, self.swapped = [], []
            for d, aug in zip(self.train_docs, self.aug_docs, strict=True):
                off = rng.randrange(cfg.train_stride)
                self.per_doc.append(doc_windows(d, self.tok, cfg.window, cfg.train_stride, off))
                self.swapped.append(
                    None
                    if aug is None
                    else doc_windows(aug, self.tok, cfg.window, cfg.train_stride, off)
                )
        wins = [
            w
            for ws, sw in zip(self.per_doc, self.swapped, strict=True)
            for w in (sw if sw is not None and rng.random() < cfg.swap_prob else ws)
        ]
        return wins + self.pseudo_wins if epoch < cfg.pseudo_epochs else wins


def train_folds(
    docs: list[Document], folds: int, fold: int
) -> tuple[list[Document], list[Document]]:
    """Train articles split for cross-validation: (the other folds, fold ``fold``), article k
    of the id-sorted list in fold k % ``folds``."""
    if not 0 <= fold < folds:
        raise ValueError(f"fold {fold} is not one of 0..{folds - 1}")
    ordered = sorted(docs, key=lambda d: d.id)
    held = [d for k, d in enumerate(ordered) if k % folds == fold]
    rest = [d for k, d in enumerate(ordered) if k % folds != fold]
    return rest, held


def load_data(data: Path, cfg: TrainConfig, tok: TextTokenizer, out: Path) -> TrainData:
    train_docs = read_split(data, "train")
    if cfg.folds:
        train_docs, dev_docs = train_folds(train_docs, cfg.folds, cfg.fold)
    else:
        dev_docs = read_split(data, "dev")
    if cfg.limit_docs:
        train_docs, dev_docs = train_docs[: cfg.limit_docs], dev_docs[: max(1, cfg.limit_docs // 4)]

    def wins_of(d: Document, offset: int = 0) -> list[Window]:
        return doc_windows(
            d, tok, cfg.window, cfg.train_stride, offset, anchor=cfg.anchor, context=cfg.context
        )

    per_doc = [wins_of(d) for d in train_docs]
    aug_docs: list[Document | None] = [None] * len(train_docs)
    swapped: list[list[Window] | None] = [None] * len(train_docs)
    if cfg.swap_prob > 0:
        from propscope.audit.swap import load_pairs
        from propscope.training.augment import augment_document

        pairs = load_pairs(None)
        for i, d in enumerate(train_docs):
            aug_docs[i] = augment_document(d, pairs)
            if (aug := aug_docs[i]) is not None:
                swapped[i] = wins_of(aug)
    pseudo_wins: list[Window] = []
    if cfg.pseudo and cfg.pseudo_epochs:
        from propscope.training.pseudo import read_pseudo

        pseudo_docs = read_pseudo(Path(cfg.pseudo))
        pseudo_wins = [w for d in pseudo_docs for w in wins_of(d)]
        log(out, f"{len(pseudo_docs)} machine-labelled docs -> {len(pseudo_wins)} windows")
    return TrainData(tok, train_docs, dev_docs, per_doc, aug_docs, swapped, pseudo_wins)


def build_detector(cfg: TrainConfig) -> tuple[Detector, Path, dict[str, str]]:
    """The detector to train, the folder of its tokenizer, and what the checkpoint records of
    its base encoder. ``tiny``: a small random encoder (``TINY_BERT``) with MiniLM's vocabulary."""
    from transformers import AutoModel

    if cfg.base == "tiny":
        base_dir = minilm_path()
        return tiny_detector(cfg.seed), base_dir, {"name": "tiny", "sha256": "random"}
    base_dir, base_name, base_sha = resolve_base(cfg.base)
    encoder = AutoModel.from_pretrained(str(base_dir), dtype=torch.float32)
    return Detector(encoder, len(LABELS)), base_dir, {"name": base_name, "sha256": base_sha}


def class_weights(wins: list[Window], power: float) -> np.ndarray:
    """Technique weights for the span classifier's loss: (median count / count) ** power,
    scaled so that the weighted number of spans stays the same."""
    counts = np.bincount([y for w in wins for _, _, y, _ in w.spans], minlength=len(LABELS)).astype(
        float
    )
    cw = (np.median(counts[counts > 0]) / np.maximum(counts, 1.0)) ** power
    return cw / (cw * counts).sum() * counts.sum()


def evaluate_epoch(
    det: Detector, tok: TextTokenizer, dev_docs: list[Document], device: torch.device, bf16: bool
) -> dict[str, Any]:
    """Dev scores through the runtime's own windows, decoder (defaults) and scorers."""
    runtime = replace(TRAINING_RUNTIME, batch_size=64 if device.type == "cuda" else 8)
    return evaluate_docs(torch_model(det, tok, runtime, bf16=bf16), dev_docs)


def train(data: Path, out: Path, cfg: TrainConfig, resume: bool = False) -> dict[str, Any]:
    out.mkdir(parents=True, exist_ok=True)
    torch.set_num_threads(cfg.threads)
    set_seed(cfg.seed)
    device = pick_device(cfg.device)
    det, base_dir, base = build_detector(cfg)
    tok = TextTokenizer(base_dir / "tokenizer.json")
    td = load_data(data, cfg, tok, out)
    wins = [w for ws in td.per_doc for w in ws]
    n_swap = sum(1 for sw in td.swapped if sw is not None)
    log(
        out,
        f"base {base['name']} sha256 {base['sha256']}; {len(td.train_docs)} train docs -> "
        f"{len(wins)} windows; {n_swap} docs with a name-swapped copy (p={cfg.swap_prob})",
    )
    cw = class_weights(wins, cfg.class_weight_power)
    det.to(device)
    enc_params = [p for n, p in det.named_parameters() if n.startswith("encoder.")]
    head_params = [p for n, p in det.named_parameters() if not n.startswith("encoder.")]
    opt = torch.optim.AdamW(
        [{"params": enc_params, "lr": cfg.lr}, {"params": head_params, "lr": cfg.head_lr}],
        weight_decay=cfg.weight_decay,
    )
    total = sum(
        math.ceil(
            (len(wins) + (len(td.pseudo_wins) if e < cfg.pseudo_epochs else 0)) / cfg.batch_size
        )
        for e in range(cfg.epochs)
    )
    if cfg.max_steps:
        total = min(total, cfg.max_steps)
    warm = max(1, int(total * cfg.warmup))

    def lr_lambda(step: int) -> float:
        return step / warm if step < warm else max(0.0, (total - step) / max(1, total - warm))

    sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_lambda)
    si_loss = nn.CrossEntropyLoss(ignore_index=-100)
    tc_loss = nn.CrossEntropyLoss(weight=torch.tensor(cw, dtype=torch.float, device=device))
    start_epoch, step, best = 0, 0, -1.0
    history: list[dict[str, Any]] = []
    if resume and (out / "last.pt").exists():
        ck = torch.load(out / "last.pt", weights_only=False, map_location=device)
        det.load_state_dict(ck["model"])
        opt.load_state_dict(ck["opt"])
        sched.load_state_dict(ck["sched"])
        start_epoch, step, best, history = ck["epoch"], ck["step"], ck["best"], ck["history"]
        log(out, f"resumed at epoch {start_epoch}, step {step}")
    rng = random.Random(cfg.seed)
    for epoch in range(start_epoch, cfg.epochs):
        det.train()
        wins = td.epoch_windows(cfg, epoch, rng)
        order = list(range(len(wins)))
        rng.shuffle(order)
        t0 = time.time()
        run_si = run_tc = 0.0
        for k in range(0, len(order), cfg.batch_size):
            if cfg.max_steps and step >= cfg.max_steps:
                break
            batch = {
                key: t.to(device)
                for key, t in collate(
                    [wins[i] for i in order[k : k + cfg.batch_size]], tok.pad_id
                ).items()
            }
            with torch.autocast(device.type, dtype=torch.bfloat16, enabled=cfg.bf16):
                hidden, logits = det.encode(batch["input_ids"], batch["attention_mask"])
                loss_si = si_loss(logits.float().reshape(-1, 3), batch["bio"].reshape(-1))
                if len(batch["span_label"]):
                    sl = det.span_logits(
                        hidden,
                        batch["span_batch"],
                        batch["span_first"],
                        batch["span_last"],
                        batch["span_extras"],
                    )
                    loss_tc = tc_loss(sl.float(), batch["span_label"])
                else:
                    loss_tc = torch.zeros((), device=device)
            loss = loss_si + cfg.tc_weight * loss_tc
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(det.parameters(), 1.0)
            opt.step()
            sched.step()
            step += 1
            run_si = 0.98 * run_si + 0.02 * float(loss_si) if step > 1 else float(loss_si)
            run_tc = 0.98 * run_tc + 0.02 * float(loss_tc) if step > 1 else float(loss_tc)
            if step % 25 == 0:
                log(
                    out,
                    f"epoch {epoch + 1} step {step}/{total} si {run_si:.4f} tc {run_tc:.4f} "
                    f"{(time.time() - t0) / max(1, k // cfg.batch_size + 1):.2f}s/step",
                )
        if cfg.evaluate:
            res = evaluate_epoch(det, tok, td.dev_docs, device, cfg.bf16)
            score = (res["si"]["f1"] + res["tc"]["micro_f1"]) / 2
            history.append(
                {
                    "epoch": epoch + 1,
                    "si": res["si"],
                    "tc": res["tc"]["micro_f1"],
                    "full": res["full"],
                }
            )
            log(
                out,
                f"epoch {epoch + 1} dev SI {res['si']['f1']:.4f} (P {res['si']['precision']:.3f} "
                f"R {res['si']['recall']:.3f}) TC {res['tc']['micro_f1']:.4f} "
                f"full {res['full']['f1']:.4f} "
                f"pred {res['predicted_spans']} ({time.time() - t0:.0f}s)",
            )
        else:
            res, score = {}, float(epoch)  # not evaluated: the latest epoch is the best
            history.append({"epoch": epoch + 1})
            log(out, f"epoch {epoch + 1} done ({time.time() - t0:.0f}s)")
        state = {
            "config": asdict(cfg),
            "base": {**base, "path": str(base_dir)},
            "encoder": describe_encoder(det),
            "model": det.state_dict(),
        }
        if score > best:
            best = score
            torch.save({**state, "dev": res}, out / "best.pt")
            log(out, f"new best {score:.4f}")
        torch.save(
            {
                **state,
                "opt": opt.state_dict(),
                "sched": sched.state_dict(),
                "epoch": epoch + 1,
                "step": step,
                "best": best,
                "history": history,
            },
            out / "last.pt",
        )
        if cfg.max_steps and step >= cfg.max_steps:
            break
    (out / "history.json").write_text(json.dumps(history, indent=2))
    return {"best": best, "history": history}
