"""Teacher -> machine labels -> student, in one resumable run (meant for a lent GPU).

    propscope distill run --ptc PTC --teacher-base DIR --student-base DIR \\
        --news news.jsonl.gz --out DIR [--send DIR] [--baseline]

1. ``teacher``: fine-tune the larger encoder (all-mpnet-base-v2) on PTC train.
2. its decoder is tuned on dev, then it labels the unlabeled news articles (``pseudo.jsonl``).
3. ``baseline``: the student encoder trained on gold only, with the same settings (control).
4. ``student``: the student trained on gold + machine labels for the first epochs, then on
   gold alone.
Each stage is skipped when its result exists, so a stopped run resumes. ``report.json`` holds
dev scores of each, with its decoder tuned on dev. ``--send`` writes the student checkpoint as
float16 parts of at most 15 MB (``propscope distill join`` puts them back together).
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import torch

from propscope.corpus.ptc import read_split
from propscope.infer.tokenize import TextTokenizer
from propscope.training.train import TrainConfig, log, pick_device, train


def load_torch_model(ckpt: Path, device: torch.device) -> Any:
    from propscope.training.export import load_checkpoint
    from propscope.training.torch_backend import TRAINING_RUNTIME, torch_model

    det, ck = load_checkpoint(ckpt)
    det.to(device)
    tok = TextTokenizer(Path(ck["base"]["path"]) / "tokenizer.json")
    return torch_model(det, tok, replace(TRAINING_RUNTIME, batch_size=64), bf16=True)


def tuned(ckpt: Path, ptc: Path, device: torch.device, log: Any, limit: int = 0) -> dict[str, Any]:
    """Dev scores of a checkpoint with its decoder tuned on dev, and that decoder."""
    from propscope.training.tune import tune

    model = load_torch_model(ckpt, device)
    dev = read_split(ptc, "dev")
    cfg, rep = tune(model, dev[:limit] if limit else dev, log=lambda m: None)
    log(f"{ckpt.parent.name}: tuned dev {json.dumps(rep)}")
    return {**rep, "decoder": cfg.to_dict()}


def send(ckpt: Path, dest: Path, part_bytes: int = 15_000_000) -> list[Path]:
    ck = torch.load(ckpt, weights_only=False, map_location="cpu")
    ck["model"] = {k: v.half() if v.is_floating_point() else v for k, v in ck["model"].items()}
    ck.pop("opt", None)
    buf = io.BytesIO()
    torch.save(ck, buf)
    blob = buf.getvalue()
    dest.mkdir(parents=True, exist_ok=True)
    parts = []
    for k in range(0, len(blob), part_bytes):
        p = dest / f"student.pt.{k // part_bytes:02d}"
        p.write_bytes(blob[k : k + part_bytes])
        parts.append(p)
    return parts


def join(parts: list[Path], out: Path, base_path: str) -> None:
    """Reassemble sent parts into a float32 checkpoint whose base is ``base_path`` here."""
    blob = b"".join(p.read_bytes() for p in sorted(parts))
    ck = torch.load(io.BytesIO(blob), weights_only=False, map_location="cpu")
    ck["model"] = {k: v.float() if v.is_floating_point() else v for k, v in ck["model"].items()}
    ck["base"] = {**ck["base"], "path": base_path}
    torch.save(ck, out)


@dataclass(frozen=True)
class DistillConfig:
    ptc: Path
    teacher_base: str
    student_base: str
    news: Path
    out: Path
    news_limit: int = 0
    send: Path | None = None
    device: str = "auto"
    threads: int = 8
    batch_size: int = 16
    teacher_epochs: int = 8
    teacher_lr: float = 4e-5
    student_epochs: int = 8
    student_lr: float = 8e-5
    pseudo_epochs: int = 4
    baseline: bool = False
    max_steps: int = 0
    limit_docs: int = 0


def run(a: DistillConfig) -> None:
    out: Path = a.out
    out.mkdir(parents=True, exist_ok=True)
    device = pick_device(a.device)
    report_path = out / "report.json"
    report: dict[str, Any] = json.loads(report_path.read_text()) if report_path.exists() else {}

    def say(m: str) -> None:
        log(out, m, "distill.log")

    def save() -> None:
        report_path.write_text(json.dumps(report, indent=2))

    common = TrainConfig(
        device=str(device),
        batch_size=a.batch_size,
        threads=a.threads,
        max_steps=a.max_steps,
        limit_docs=a.limit_docs,
    )
    if not (out / "teacher" / "best.pt").exists() or "teacher" not in report:
        cfg = replace(common, base=a.teacher_base, epochs=a.teacher_epochs, lr=a.teacher_lr)
        say(f"teacher: {cfg}")
        train(a.ptc, out / "teacher", cfg, resume=True)
        report["teacher"] = tuned(out / "teacher" / "best.pt", a.ptc, device, say, a.limit_docs)
        save()
    pseudo = out / "pseudo.jsonl"
    if not pseudo.exists():
        from propscope.decode.spans import DecoderConfig
        from propscope.training.pseudo import label_articles, read_news

        model = load_torch_model(out / "teacher" / "best.pt", device)
        model.cfg = DecoderConfig.from_dict(report["teacher"]["decoder"])
        tmp = out / "pseudo.tmp"
        stats = label_articles(model, read_news(a.news, a.news_limit), tmp, log=say)
        tmp.rename(pseudo)
        report["pseudo"] = stats
        save()
        del model
    if "student" not in report:
        cfg = replace(
            common,
            base=a.student_base,
            epochs=a.student_epochs,
            lr=a.student_lr,
            pseudo=str(pseudo),
            pseudo_epochs=a.pseudo_epochs,
        )
        say(f"student: {cfg}")
        train(a.ptc, out / "student", cfg, resume=True)
        report["student"] = tuned(out / "student" / "best.pt", a.ptc, device, say, a.limit_docs)
        save()
    if a.send and not (a.send / "student").exists():
        parts = send(out / "student" / "best.pt", a.send / "student")
        say(f"student: sent {len(parts)} parts to {a.send / 'student'}")
    if a.baseline and "baseline" not in report:
        cfg = replace(common, base=a.student_base, epochs=a.student_epochs, lr=a.student_lr)
        train(a.ptc, out / "baseline", cfg, resume=True)
        report["baseline"] = tuned(out / "baseline" / "best.pt", a.ptc, device, say, a.limit_docs)
        save()
    if a.send:
        (a.send / "report.json").write_text(json.dumps(report, indent=2))
    say(json.dumps(report))
