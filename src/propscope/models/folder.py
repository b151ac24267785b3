"""A model folder: the only reader and writer of one.

A folder holds ``model.onnx`` (encoder: ids and mask in, hidden states and BIO logits out),
``tokenizer.json``, ``tc_head.npz`` (span classifier), optionally ``claims_head.npz``
(check-worthiness), ``labels.json``, ``meta.json`` and a generated ``MODEL_CARD.md``.
``meta.json`` says what the model is (name, version), which propscope versions can run it,
how to run it (runtime settings), how to decode it (decoder), its claims threshold, its labels,
the sha256 of every file and the metrics measured when it was made.

``ModelFolder.read`` checks all of that and raises E020 where something does not hold;
``ModelFolder.write`` writes every file, the sha256s and the model card in one go.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from propscope.decode.spans import DecoderConfig
from propscope.errors import Code, PropscopeError
from propscope.infer.heads import MlpHead
from propscope.infer.scores import RuntimeSettings
from propscope.techniques import LABELS
from propscope.version import __version__

REQUIRED = ("model.onnx", "tokenizer.json", "tc_head.npz", "labels.json")
CLAIMS_HEAD = "claims_head.npz"  # 0.3's check-worthiness head on the detector's hidden states
CLAIMS_MODEL = "claims.onnx"  # 0.4's: a fine-tuned sentence encoder of its own
# the propscope versions a folder written by this version runs with, unless it says otherwise
DEFAULT_REQUIRES = ">=0.4,<0.5"

FileSource = Path | MlpHead | bytes


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _version_tuple(v: str) -> tuple[int, ...]:
    parts = re.findall(r"\d+", v.split("+")[0])
    return tuple(int(p) for p in parts[:3]) + (0,) * (3 - min(3, len(parts)))


def version_in_range(version: str, spec: str) -> bool:
    """``spec``: comma-separated clauses such as ``>=0.2,<0.3`` (operators >=, >, <=, <, ==)."""
    v = _version_tuple(version)
    for clause in filter(None, (c.strip() for c in spec.split(","))):
        m = re.fullmatch(r"(>=|<=|==|>|<)\s*([0-9][0-9.]*)", clause)
        if m is None:
            raise ValueError(f"bad version clause {clause!r}")
        op, w = m.group(1), _version_tuple(m.group(2))
        ok = {
            ">=": v >= w,
            ">": v > w,
            "<=": v <= w,
            "<": v < w,
            "==": v == w,
        }[op]
        if not ok:
            return False
    return True


@dataclass(frozen=True)
class ClaimsSettings:
    threshold: float = 0.5  # a sentence scoring at least this is a check-worthy claim
    data: str = ""
    metrics: dict[str, Any] = field(default_factory=dict)
    seed: int | None = None
    # the claims model (claims.onnx): its Platt calibration (a, b) and token limit per sentence
    platt: tuple[float, float] = (1.0, 0.0)
    max_tokens: int = 96
    details: dict[str, Any] = field(default_factory=dict)  # training and selection, for the card

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"threshold": self.threshold, "data": self.data}
        out["metrics"] = self.metrics
        if self.seed is not None:
            out["seed"] = self.seed
        if self.platt != (1.0, 0.0):
            out["platt"] = list(self.platt)
        if self.max_tokens != 96:
            out["max_tokens"] = self.max_tokens
        if self.details:
            out["details"] = self.details
        return out

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> ClaimsSettings:
        seed = d.get("seed")
        a, b = d.get("platt", (1.0, 0.0))
        return cls(
            float(d.get("threshold", 0.5)),
            str(d.get("data", "")),
            dict(d.get("metrics", {})),
            None if seed is None else int(seed),
            (float(a), float(b)),
            int(d.get("max_tokens", 96)),
            dict(d.get("details", {})),
        )


@dataclass(frozen=True)
class ModelMeta:
    """What ``meta.json`` holds. ``sha256`` is filled in by ``ModelFolder.write``."""

    name: str
    version: str
    requires: str = DEFAULT_REQUIRES  # propscope versions that can run this folder
    runtime: RuntimeSettings = field(default_factory=RuntimeSettings)
    decoder: DecoderConfig = field(default_factory=DecoderConfig)
    claims: ClaimsSettings | None = None  # None: no check-worthiness head
    # sensitivity name (precise, balanced, sensitive) -> the P(span) from which spans are shown
    operating_points: dict[str, float] = field(default_factory=dict)
    labels: tuple[str, ...] = tuple(LABELS)
    quantization: str = ""
    base_encoder: dict[str, Any] = field(default_factory=dict)
    training: dict[str, Any] = field(default_factory=dict)
    metrics: dict[str, Any] = field(default_factory=dict)
    sha256: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": self.name,
            "version": self.version,
            "requires_propscope": self.requires,
            "runtime": self.runtime.to_dict(),
            "decoder": self.decoder.to_dict(),
        }
        if self.claims is not None:
            out["claims"] = self.claims.to_dict()
        if self.operating_points:
            out["operating_points"] = dict(self.operating_points)
        out["labels"] = list(self.labels)
        for key in ("quantization", "base_encoder", "training", "metrics"):
            if value := getattr(self, key):
                out[key] = value
        out["sha256"] = dict(self.sha256)
        return out

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> ModelMeta:
        # folders written before propscope 0.2 kept the runtime settings at the top level
        runtime = d.get("runtime") or {
            k: d[k] for k in ("window", "stride", "batch_size") if k in d
        }
        claims = d.get("claims")
        return cls(
            name=str(d["name"]),
            version=str(d["version"]),
            requires=str(d.get("requires_propscope", DEFAULT_REQUIRES)),
            runtime=RuntimeSettings.from_dict(runtime),
            decoder=DecoderConfig.from_dict(dict(d.get("decoder", {}))),
            claims=None if claims is None else ClaimsSettings.from_dict(claims),
            operating_points={
                str(k): float(v) for k, v in dict(d.get("operating_points", {})).items()
            },
            labels=tuple(d.get("labels", LABELS)),
            quantization=str(d.get("quantization", "")),
            base_encoder=dict(d.get("base_encoder", {})),
            training=dict(d.get("training", {})),
            metrics=dict(d.get("metrics", {})),
            sha256=dict(d.get("sha256", {})),
        )


def _bad(message: str, path: Path) -> PropscopeError:
    return PropscopeError(Code.BAD_MODEL, message, path=str(path))


@dataclass(frozen=True)
class ModelFolder:
    path: Path
    meta: ModelMeta

    def file(self, name: str) -> Path:
        return self.path / name

    @property
    def has_claims_head(self) -> bool:
        return self.meta.claims is not None and (self.path / CLAIMS_HEAD).is_file()

    @property
    def has_claims_model(self) -> bool:
        return self.meta.claims is not None and (self.path / CLAIMS_MODEL).is_file()

    def tc_head(self) -> MlpHead:
        return self._head("tc_head.npz")

    def claims_head(self) -> MlpHead | None:
        return self._head(CLAIMS_HEAD) if self.has_claims_head else None

    def _head(self, name: str) -> MlpHead:
        try:
            return MlpHead.load(self.path / name)
        except (OSError, ValueError) as exc:
            raise _bad(f"unreadable {name}: {exc}", self.path) from None

    @classmethod
    def read(cls, path: Path, *, verify: bool = True) -> ModelFolder:
        """Read and check a folder: files present, metadata readable, labels equal to the
        technique list, this propscope version in the folder's range, and (``verify``) every
        file's sha256 as recorded."""
        if not path.is_dir():
            raise _bad("model folder not found", path)
        for name in (*REQUIRED, "meta.json"):
            if not (path / name).is_file():
                raise _bad(f"model folder lacks {name}", path)
        try:
            raw = json.loads((path / "meta.json").read_text("utf-8"))
            labels = json.loads((path / "labels.json").read_text("utf-8"))
            meta = ModelMeta.from_dict(raw)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise _bad(f"unreadable model metadata: {exc!r}", path) from None
        if list(labels) != list(LABELS) or list(meta.labels) != list(LABELS):
            raise _bad(
                "labels.json and meta.json must list the 14 techniques in propscope's order "
                f"({', '.join(LABELS[:2])}, ...)",
                path,
            )
        try:
            in_range = version_in_range(__version__, meta.requires)
        except ValueError as exc:
            raise _bad(f"meta.json: {exc}", path) from None
        if not in_range:
            raise _bad(
                f"model {meta.name} {meta.version} needs propscope {meta.requires}; "
                f"this is propscope {__version__}",
                path,
            )
        if verify:
            for name, digest in meta.sha256.items():
                if not (path / name).is_file() or sha256_of(path / name) != digest:
                    raise _bad(f"{name} does not match the sha256 in meta.json", path)
        return cls(path, meta)

    @classmethod
    def write(cls, out: Path, meta: ModelMeta, files: Mapping[str, FileSource]) -> ModelFolder:
        """Write a complete folder: ``files`` (the ONNX model and tokenizer as paths, the heads
        as ``MlpHead``), labels.json from ``meta.labels``, meta.json with the sha256 of every
        file, and the model card. A path that is already the target is left in place."""
        out.mkdir(parents=True, exist_ok=True)
        for name, src in files.items():
            target = out / name
            if isinstance(src, MlpHead):
                src.save(target)
            elif isinstance(src, bytes):
                target.write_bytes(src)
            elif src.resolve() != target.resolve():
                shutil.copyfile(src, target)
        (out / "labels.json").write_text(json.dumps(list(meta.labels), indent=1) + "\n")
        names = [n for n in (*REQUIRED, CLAIMS_HEAD, CLAIMS_MODEL) if (out / n).is_file()]
        if (CLAIMS_HEAD in names or CLAIMS_MODEL in names) and meta.claims is None:
            meta = replace(meta, claims=ClaimsSettings())
        meta = replace(meta, sha256={n: sha256_of(out / n) for n in names})
        (out / "meta.json").write_text(json.dumps(meta.to_dict(), indent=2) + "\n")
        (out / "MODEL_CARD.md").write_text(model_card(meta))
        return cls(out, meta)

    def update(
        self,
        meta: ModelMeta | None = None,
        files: Mapping[str, FileSource] | None = None,
        remove: Sequence[str] = (),
    ) -> ModelFolder:
        """Replace some files, delete the optional ones named in ``remove``, and/or replace the
        metadata; hashes and the model card are redone."""
        for name in remove:
            if name in REQUIRED:
                raise ValueError(f"{name} is required in a model folder")
            (self.path / name).unlink(missing_ok=True)
        return ModelFolder.write(self.path, meta or self.meta, files or {})


def _fmt(x: Any) -> str:
    return f"{x:.4f}" if isinstance(x, float) else str(x)


def claims_card(c: ClaimsSettings) -> list[str]:
    """The model card's section on check-worthy claims."""
    lines = ["", "## Check-worthy claims", "", f"Threshold {c.threshold}. {c.data}".rstrip()]
    if c.platt != (1.0, 0.0):
        a, b = c.platt
        lines += [
            "",
            f"`claims.onnx` reads each sentence alone (at most {c.max_tokens} tokens); "
            f"claims[].score = sigmoid({a} logit + {b}), the probability that the sentence is "
            "check-worthy in CT24's sense.",
        ]
    if c.metrics:
        with_map = any("map" in m for m in c.metrics.values())
        head = "| set | precision | recall | F1 |" + (" MAP |" if with_map else "")
        lines += ["", head, "|---|---|---|---|" + ("---|" if with_map else "")]
        for split, m in c.metrics.items():
            row = (
                f"| {split} | {_fmt(m.get('precision'))} | {_fmt(m.get('recall'))} "
                f"| {_fmt(m.get('f1'))} |"
            )
            lines.append(row + (f" {_fmt(m.get('map', '-'))} |" if with_map else ""))
    rel = c.details.get("reliability")
    if rel:
        lines += [
            "",
            f"Reliability of the score on {rel['set']} (not used for the calibration; ECE "
            f"{_fmt(rel['ece'])}):",
            "",
            "| bin | sentences | mean score | observed |",
            "|---|---|---|---|",
        ]
        lines += [
            f"| {b['lo']:.1f}-{b['hi']:.1f} | {b['n']} | {_fmt(b['mean_predicted'])} "
            f"| {_fmt(b['observed'])} |"
            for b in rel["table"]
            if b["n"]
        ]
    return lines


def model_card(meta: ModelMeta) -> str:
    """MODEL_CARD.md, generated from the metadata alone."""
    d, r, t, b = meta.decoder, meta.runtime, meta.training, meta.base_encoder
    lines = [
        f"# {meta.name} {meta.version}",
        "",
        "Persuasion-technique detector for propscope: finds the spans of a text that use one of",
        "the 14 techniques of SemEval-2020 Task 11 and names the technique.",
        "",
        f"- **Runs with**: propscope {meta.requires}.",
    ]
    if b:
        lines += [
            f"- **Base encoder**: {b.get('name', '?')} (sha256 of its weights",
            f"  `{b.get('sha256', '?')}`), fine-tuned with a BIO span head and a span classifier",
            "  (mean, first, last and [CLS] states plus repetition counts of the span in the "
            "article).",
        ]
    anchored = r.anchor == "lines"
    windows = (
        f"A window per line (up to {r.window} tokens, reading {r.context} tokens before the "
        "line; longer lines cut at sentence ends)"
        if anchored
        else f"Windows of {r.window} tokens every {r.stride} tokens"
    )
    lines += [
        f"- **Runtime**: ONNX Runtime on CPU; quantization: {meta.quantization or 'none'}. "
        f"{windows}, {r.batch_size} per encoder call, blocks of {r.block_chars:,} characters, "
        "stitched by character offsets.",
    ]
    if t:
        lines.append(
            f"- **Training data**: {t.get('data', '?')}. Commit `{t.get('commit', '?')}`, "
            f"created {t.get('created', '?')}."
        )
        if t.get("notes"):
            lines.append(f"- **How it was made**: {t['notes']}")
        if t.get("decoder"):
            lines.append(f"- **Decoder**: {t['decoder']}.")
    folds = meta.metrics.get("folds")
    ev = meta.metrics.get("dev_eval")
    if ev:
        lines += [
            "",
            "## PTC dev, held out (`benchmarks/quality.py --record`)",
            "",
            "The decoder was chosen on train folds, so dev is a real held-out set.",
            "",
            "| metric | precision | recall | F1 |",
            "|---|---|---|---|",
            f"| SI | {ev['si_precision']:.4f} | {ev['si_recall']:.4f} | {ev['si_f1']:.4f} |",
            f"| TC micro-F1 (gold spans) | | | {ev['tc_micro_f1']:.4f} |",
            f"| full task | {ev['full_precision']:.4f} | {ev['full_recall']:.4f} "
            f"| {ev['full_f1']:.4f} |",
            f"| span score ECE | | | {_fmt(ev.get('span_ece', '-'))} |",
            f"| technique score ECE | | | {_fmt(ev.get('technique_ece', '-'))} |",
        ]
    if meta.operating_points:
        dev_points = (ev or {}).get("operating_points", {})
        fold_points = (folds or {}).get("operating_points", {})
        lines += [
            "",
            "## Sensitivity (operating points)",
            "",
            "A span is shown when its score (the probability that it is a persuasion span) "
            "reaches the point's threshold. Thresholds chosen on train folds.",
            "",
            "| sensitivity | min score | folds P | folds R | dev P | dev R | dev F1 |",
            "|---|---|---|---|---|---|---|",
        ]
        for name, m in meta.operating_points.items():
            fp, dp = fold_points.get(name, {}), dev_points.get(name, {})
            lines.append(
                f"| {name} | {m:.2f} | {_fmt(fp.get('si_p', '-'))} | {_fmt(fp.get('si_r', '-'))} "
                f"| {_fmt(dp.get('precision', '-'))} | {_fmt(dp.get('recall', '-'))} "
                f"| {_fmt(dp.get('f1', '-'))} |"
            )
    for key, title in (
        ("span_reliability", "span score (is it a persuasion span?)"),
        ("technique_reliability", "technique score (is the technique right, given a span?)"),
    ):
        table = (ev or {}).get(key)
        if table:
            lines += [
                "",
                f"## Reliability on dev: {title}",
                "",
                "| bin | spans | mean score | observed |",
                "|---|---|---|---|",
            ]
            lines += [
                f"| {row['bin']} | {row['n']} | {_fmt(row['mean_predicted'] or '-')} "
                f"| {_fmt(row['observed'] or '-')} |"
                for row in table
                if row["n"]
            ]
    extend = ", ".join(f"{k} to its {v}" for k, v in sorted(d.extend.items())) or "none"
    lines += [
        "",
        "## Decoder",
        "",
        f"threshold {d.threshold}, begin threshold {d.begin_threshold}, max gap {d.max_gap} "
        f"tokens, minimum {d.min_chars} characters, second technique above {d.second_label}, "
        f"TC temperature {d.temperature}; spans extended: {extend}. Span score = "
        f"sigmoid({d.span_a} logit(mean P(inside)) + {d.span_b} log(characters) + {d.span_c}); "
        "technique score = softmax(logits / temperature).",
    ]
    if meta.claims is not None:
        lines += claims_card(meta.claims)
    lines += [
        "",
        "## Limits",
        "",
        "English news only; trained on 371 hand-labelled articles, so rare techniques "
        "(Bandwagon, Thought-terminating clichés, Whataboutism) are found rarely. A span's score "
        "is the probability, calibrated on train folds, that it overlaps a persuasion span; its "
        "technique score the probability that the technique is right if it does.",
        "",
    ]
    return "\n".join(lines)
