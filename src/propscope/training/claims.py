"""Check-worthiness head on the detector's shared encoder, trained on CT24.

The encoder stays as shipped (frozen); a small MLP reads the [mean, max] of a sentence's hidden
states. Trained on CT24 train, threshold chosen on dev, reported on dev-test.

    propscope train-claims --model src/propscope/models/default \\
        --data ../shared/data/ct24-checkworthy-english
"""

from __future__ import annotations

import json
import time
from dataclasses import replace
from pathlib import Path
from typing import Any, cast

import numpy as np
import torch
from torch import nn

from propscope.corpus.ct24 import LabelledSentence, find_split, read_tsv
from propscope.detector import DetectorModel
from propscope.infer.features import sentence_features
from propscope.infer.heads import MlpHead
from propscope.models.folder import ClaimsSettings, ModelFolder


def featurise(model: DetectorModel, rows: list[LabelledSentence]) -> np.ndarray:
    h = None
    out: list[np.ndarray] = []
    for r in rows:
        st = model.scorer.score_block(r.text, 0, len(r.text))
        if st is None:
            out.append(np.zeros(2 * (h or 384), dtype=np.float32))
            continue
        h = st.hidden.shape[1]
        out.append(sentence_features(st, [(0, len(r.text))])[0])
    return np.stack(out)


def prf(pred: np.ndarray, gold: np.ndarray) -> dict[str, float]:
    tp = float((pred & gold).sum())
    p = tp / max(1.0, float(pred.sum()))
    r = tp / max(1.0, float(gold.sum()))
    return {"precision": p, "recall": r, "f1": 0.0 if p + r == 0 else 2 * p * r / (p + r)}


def train_head(
    x: np.ndarray, y: np.ndarray, xd: np.ndarray, yd: np.ndarray, seed: int = 13, epochs: int = 60
) -> tuple[nn.Sequential, float]:
    torch.manual_seed(seed)
    mu, sd = x.mean(0), x.std(0) + 1e-6
    net = nn.Sequential(
        nn.Linear(x.shape[1], 256), nn.GELU(approximate="tanh"), nn.Dropout(0.2), nn.Linear(256, 1)
    )
    opt = torch.optim.AdamW(net.parameters(), lr=1e-3, weight_decay=1e-2)
    xt = torch.from_numpy((x - mu) / sd).float()
    yt = torch.from_numpy(y.astype(np.float32))
    xdt = torch.from_numpy((xd - mu) / sd).float()
    pos_w = torch.tensor((len(y) - y.sum()) / max(1, y.sum()))
    loss_fn = nn.BCEWithLogitsLoss(pos_weight=pos_w.float())
    best: tuple[float, dict[str, Any] | None, float] = (-1.0, None, 0.5)
    g = torch.Generator().manual_seed(seed)
    for _epoch in range(epochs):
        net.train()
        perm = torch.randperm(len(xt), generator=g)
        for i in range(0, len(perm), 256):
            b = perm[i : i + 256]
            loss = loss_fn(net(xt[b]).squeeze(1), yt[b])
            opt.zero_grad()
            loss.backward()
            opt.step()
        net.eval()
        with torch.no_grad():
            pd = torch.sigmoid(net(xdt).squeeze(1)).numpy()
        for th in np.arange(0.2, 0.9, 0.02):
            f = prf(pd >= th, yd.astype(bool))["f1"]
            if f > best[0]:
                best = (f, {k: v.clone() for k, v in net.state_dict().items()}, float(th))
    assert best[1] is not None
    net.load_state_dict(best[1])
    # fold the standardisation into the first layer, so the runtime needs no extra arrays
    with torch.no_grad():
        lin = cast(nn.Linear, net[0])
        w = lin.weight / torch.from_numpy(sd).float()[None, :]
        b = lin.bias - (w * torch.from_numpy(mu).float()[None, :]).sum(1)
        lin.weight.copy_(w)
        lin.bias.copy_(b)
    return net, best[2]


def train_claims(folder_path: Path, data: Path, seed: int = 13, log: Any = print) -> dict[str, Any]:
    """Train the head on a model folder's features and write it into the folder (the model
    card and hashes are redone). Returns the threshold and dev/dev-test scores."""
    folder = ModelFolder.read(folder_path)
    model = DetectorModel.from_folder(folder)
    t0 = time.time()
    splits = {s: read_tsv(find_split(data, s)) for s in ("train", "dev", "dev-test")}
    feats = {s: featurise(model, rows) for s, rows in splits.items()}
    labels = {s: np.array([r.label for r in rows]) for s, rows in splits.items()}
    log(f"features in {time.time() - t0:.0f}s")
    net, th = train_head(feats["train"], labels["train"], feats["dev"], labels["dev"], seed)
    net.eval()
    res = {}
    with torch.no_grad():
        for s in ("dev", "dev-test"):
            p = torch.sigmoid(net(torch.from_numpy(feats[s]).float()).squeeze(1)).numpy()
            res[s] = prf(p >= th, labels[s].astype(bool))
    log(json.dumps({"threshold": th, **res}, indent=2))
    first, last = cast(nn.Linear, net[0]), cast(nn.Linear, net[3])
    head = MlpHead.of(
        w1=first.weight.detach().T.numpy(),
        b1=first.bias.detach().numpy(),
        w2=last.weight.detach().T.numpy(),
        b2=last.bias.detach().numpy(),
    )
    claims = ClaimsSettings(
        threshold=round(th, 3),
        data="CT24 check-worthiness (English): head trained on train, threshold on dev",
        metrics=res,
        seed=seed,
    )
    folder.update(replace(folder.meta, claims=claims), {"claims_head.npz": head})
    return {"threshold": th, **res}
