"""The shipped technique detector: an encoder in ONNX Runtime plus a small span classifier.

Data path: text -> blocks -> token windows -> ONNX (hidden states, BIO logits) -> per-token
scores (each token taken from the window in which it is most central) -> decoder -> spans ->
span classifier (numpy) -> techniques.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from propscope.decode.spans import DecoderConfig, confidence, decode_runs
from propscope.errors import Code, PropscopeError
from propscope.infer.features import span_extras
from propscope.infer.threads import blas_single_thread
from propscope.infer.tokenize import TextTokenizer
from propscope.segment.windows import blocks, windows
from propscope.types import ModelInfo, Span

REQUIRED = ("model.onnx", "tokenizer.json", "tc_head.npz", "labels.json", "meta.json")
FArr = NDArray[np.float32]


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def softmax(x: NDArray[np.floating[Any]], axis: int = -1) -> FArr:
    z = x - x.max(axis=axis, keepdims=True)
    e = np.exp(z)
    out: FArr = (e / e.sum(axis=axis, keepdims=True)).astype(np.float32)
    return out


def gelu(x: FArr) -> FArr:
    out: FArr = (0.5 * x * (1.0 + np.tanh(0.7978845608 * (x + 0.044715 * x**3)))).astype(
        np.float32, copy=False
    )
    return out


@dataclass
class DocScores:
    spans: list[Span]
    sentence_scores: list[float]
    claim_scores: list[float] | None  # None where the model has no check-worthiness head


@dataclass
class BlockStates:
    """Per-token results of one block of text (offsets relative to the full text)."""

    offsets: NDArray[np.int64]
    probs: FArr  # (n, 3): O, B, I
    hidden: FArr  # (n, H)
    cls: FArr  # (n, H): [CLS] state of the window each token was taken from


def sentence_features(states: BlockStates, sentences: Sequence[tuple[int, int]]) -> FArr:
    """[mean, max] of the hidden states of each sentence's tokens (zeros where it has none)."""
    h = states.hidden.shape[1]
    feats = np.zeros((len(sentences), 2 * h), dtype=np.float32)
    starts, ends = states.offsets[:, 0], states.offsets[:, 1]
    for i, (s, e) in enumerate(sentences):
        idx = np.flatnonzero((starts < e) & (ends > s))
        if idx.size:
            hs = states.hidden[idx]
            feats[i] = np.concatenate([hs.mean(0), hs.max(0)])
    return feats


def mlp(feats: FArr, head: dict[str, FArr]) -> FArr:
    out: FArr = gelu(feats @ head["w1"] + head["b1"]) @ head["w2"] + head["b2"]
    return out


def span_features(states: BlockStates, text: str, spans: Sequence[tuple[int, int]]) -> FArr:
    """[mean, first, last, cls, extras] per span; the same layout the trainer uses."""
    h = states.hidden.shape[1]
    feats = np.zeros((len(spans), 4 * h), dtype=np.float32)
    starts, ends = states.offsets[:, 0], states.offsets[:, 1]
    for i, (s, e) in enumerate(spans):
        idx = np.flatnonzero((starts < e) & (ends > s))
        if idx.size == 0:
            continue
        hs = states.hidden[idx]
        feats[i] = np.concatenate([hs.mean(0), hs[0], hs[-1], states.cls[idx[0]]])
    return np.concatenate([feats, span_extras(text, list(spans))], axis=1)


def spans_from_scores(
    runs: list[tuple[int, int, float]], tc: FArr, labels: list[str], cfg: DecoderConfig
) -> list[Span]:
    """Label decoded runs with their best technique (and a second one above its threshold)."""
    out: list[Span] = []
    for (s, e, p), row in zip(runs, tc, strict=True):
        order = np.argsort(-row)
        for rank, j in enumerate(order[:2]):
            if rank == 1 and row[j] <= cfg.second_label:
                break
            out.append(Span(s, e, labels[int(j)], confidence(cfg, p, float(row[j]))))
    return out


class OnnxModel:
    is_baseline = False

    def __init__(self, folder: Path, meta: dict[str, Any], labels: list[str]) -> None:
        import onnxruntime as ort

        self.folder = folder
        self.meta = meta
        self.labels = labels
        self.info = ModelInfo(str(meta["name"]), str(meta["version"]))
        self.cfg = DecoderConfig.from_dict(meta.get("decoder", {}))
        self.window = int(meta.get("window", 256))
        self.stride = int(meta.get("stride", 192))
        self.batch_size = int(meta.get("batch_size", 8))
        self.tokenizer = TextTokenizer(folder / "tokenizer.json")
        opts = ort.SessionOptions()
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.session = ort.InferenceSession(
            str(folder / "model.onnx"), opts, providers=["CPUExecutionProvider"]
        )
        head = np.load(folder / "tc_head.npz")
        self.w1, self.b1 = head["w1"].astype(np.float32), head["b1"].astype(np.float32)
        self.w2, self.b2 = head["w2"].astype(np.float32), head["b2"].astype(np.float32)
        self.claims_head: dict[str, FArr] | None = None
        if (folder / "claims_head.npz").is_file():
            ch = np.load(folder / "claims_head.npz")
            self.claims_head = {k: ch[k].astype(np.float32) for k in ("w1", "b1", "w2", "b2")}
        claims_meta = meta.get("claims", {})
        self.claim_threshold = float(claims_meta.get("threshold", 0.5))

    @classmethod
    def load(cls, folder: Path, *, verify: bool = True) -> OnnxModel:
        for name in REQUIRED:
            if not (folder / name).is_file():
                raise PropscopeError(Code.BAD_MODEL, f"model folder lacks {name}", path=str(folder))
        try:
            meta = json.loads((folder / "meta.json").read_text("utf-8"))
            labels = json.loads((folder / "labels.json").read_text("utf-8"))
        except (OSError, ValueError) as exc:
            raise PropscopeError(
                Code.BAD_MODEL, f"unreadable model metadata: {exc}", path=str(folder)
            ) from None
        if verify and "sha256" in meta:
            for name, digest in meta["sha256"].items():
                if sha256_of(folder / name) != digest:
                    raise PropscopeError(
                        Code.BAD_MODEL,
                        f"{name} does not match the sha256 in meta.json",
                        path=str(folder),
                    )
        return cls(folder, meta, list(labels))

    # -- scores ---------------------------------------------------------------------------
    def pad_batch(
        self, ids_list: list[NDArray[np.int64]]
    ) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """[CLS] ids [SEP], padded to the longest: (input_ids, attention_mask)."""
        tk = self.tokenizer
        n = max(len(x) for x in ids_list) + 2
        ids = np.full((len(ids_list), n), tk.pad_id, dtype=np.int64)
        mask = np.zeros((len(ids_list), n), dtype=np.int64)
        for i, x in enumerate(ids_list):
            ids[i, 0] = tk.cls_id
            ids[i, 1 : len(x) + 1] = x
            ids[i, len(x) + 1] = tk.sep_id
            mask[i, : len(x) + 2] = 1
        return ids, mask

    def _run(self, ids_list: list[NDArray[np.int64]]) -> tuple[FArr, FArr]:
        ids, mask = self.pad_batch(ids_list)
        hidden, logits = self.session.run(
            ["hidden", "si_logits"], {"input_ids": ids, "attention_mask": mask}
        )
        return np.asarray(hidden, dtype=np.float32), np.asarray(logits, dtype=np.float32)

    def block_states(self, text: str, start: int, end: int) -> BlockStates | None:
        ids, offs = self.tokenizer.encode(text[start:end])
        if ids.size == 0:
            return None
        offs = offs + start
        n = ids.size
        wins = windows(n, self.window - 2, self.stride)
        h = None
        probs = np.zeros((n, 3), dtype=np.float32)
        hidden: FArr | None = None
        cls = None
        half = (self.window - 2 - self.stride) // 2
        for k in range(0, len(wins), self.batch_size):
            batch = wins[k : k + self.batch_size]
            hid, logit = self._run([ids[a:b] for a, b in batch])
            if hidden is None:
                h = hid.shape[2]
                hidden = np.zeros((n, h), dtype=np.float32)
                cls = np.zeros((n, h), dtype=np.float32)
            assert cls is not None
            for j, (a, b) in enumerate(batch):
                wi = k + j
                lo = a if wi == 0 else a + half
                hi = b if wi == len(wins) - 1 else b - half
                hi = max(hi, lo)
                sl = slice(lo - a + 1, hi - a + 1)
                probs[lo:hi] = softmax(logit[j, sl])
                hidden[lo:hi] = hid[j, sl]
                cls[lo:hi] = hid[j, 0]
        assert hidden is not None and cls is not None
        return BlockStates(offs, probs, hidden, cls)

    def tc_logits(self, states: BlockStates, text: str, spans: Sequence[tuple[int, int]]) -> FArr:
        """Span classifier logits (before the calibration temperature)."""
        feats = span_features(states, text, spans)
        out: FArr = gelu(feats @ self.w1 + self.b1) @ self.w2 + self.b2
        return out

    def _tc_probs(self, states: BlockStates, text: str, spans: Sequence[tuple[int, int]]) -> FArr:
        return softmax(self.tc_logits(states, text, spans) / self.cfg.temperature)

    # -- the Model protocol ----------------------------------------------------------------
    def detect(self, text: str) -> list[Span]:
        return self.process(text, []).spans

    def process(self, text: str, sentences: Sequence[tuple[int, int]]) -> DocScores:
        """Spans, and for each sentence its propaganda score (the highest probability that one
        of its tokens is inside a technique span) and check-worthiness score, in one pass.
        Each block of text is encoded once and dropped before the next (bounded memory)."""
        with blas_single_thread():
            return self._process(text, sentences)

    def _process(self, text: str, sentences: Sequence[tuple[int, int]]) -> DocScores:
        spans: list[Span] = []
        sent_scores = [0.0] * len(sentences)
        claim_scores = [0.0] * len(sentences)
        for bs, be in blocks(text):
            states = self.block_states(text, bs, be)
            if states is None:
                continue
            p_in = states.probs[:, 1] + states.probs[:, 2]
            runs = decode_runs(p_in, states.probs[:, 1], states.offsets, text, self.cfg)
            if runs:
                tc = self._tc_probs(states, text, [(s, e) for s, e, _ in runs])
                spans.extend(spans_from_scores(runs, tc, self.labels, self.cfg))
            mine = [i for i, (s, _e) in enumerate(sentences) if bs <= s < be]
            if not mine:
                continue
            starts, ends = states.offsets[:, 0], states.offsets[:, 1]
            for i in mine:
                s, e = sentences[i]
                idx = (starts < e) & (ends > s)
                sent_scores[i] = float(p_in[idx].max()) if idx.any() else 0.0
            if self.claims_head is not None:
                feats = sentence_features(states, [sentences[i] for i in mine])
                logit = mlp(feats, self.claims_head)[:, 0]
                for i, z in zip(mine, logit, strict=True):
                    claim_scores[i] = float(1.0 / (1.0 + np.exp(-z)))
        return DocScores(spans, sent_scores, claim_scores if self.claims_head is not None else None)

    def classify(self, text: str, spans: Sequence[tuple[int, int]]) -> list[tuple[str, float]]:
        with blas_single_thread():
            return self._classify(text, spans)

    def _classify(self, text: str, spans: Sequence[tuple[int, int]]) -> list[tuple[str, float]]:
        result: list[tuple[str, float] | None] = [None] * len(spans)
        for bs, be in blocks(text):
            mine = [i for i, (s, _e) in enumerate(spans) if bs <= s < be]
            if not mine:
                continue
            states = self.block_states(text, bs, be)
            if states is None:
                for i in mine:
                    result[i] = (self.labels[0], 0.0)
                continue
            probs = self._tc_probs(states, text, [spans[i] for i in mine])
            for i, row in zip(mine, probs, strict=True):
                j = int(row.argmax())
                result[i] = (self.labels[j], float(row[j]))
        return [r if r is not None else (self.labels[0], 0.0) for r in result]
