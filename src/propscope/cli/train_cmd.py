"""``propscope train`` and ``propscope export``: the [train] extra's commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from propscope.cli.common import data_dir


def train_cli(
    out: Annotated[
        Path, typer.Option("--out", help="Run folder: log, checkpoints, exported model.")
    ],
    data: Annotated[Path | None, typer.Option("--data", help="PTC folder.")] = None,
    epochs: Annotated[int, typer.Option("--epochs")] = 6,
    seed: Annotated[int, typer.Option("--seed")] = 13,
    base: Annotated[
        str, typer.Option("--base", help="all-MiniLM-L6-v2 or a folder with model.safetensors.")
    ] = "all-MiniLM-L6-v2",
    lr: Annotated[float, typer.Option("--lr")] = 8e-5,
    device: Annotated[str, typer.Option("--device", help="cpu, cuda or auto.")] = "cpu",
    pseudo: Annotated[
        Path | None,
        typer.Option("--pseudo", help="Machine-labelled articles (JSONL) for self-training."),
    ] = None,
    pseudo_epochs: Annotated[
        int, typer.Option("--pseudo-epochs", help="How many first epochs also use --pseudo.")
    ] = 0,
    folds: Annotated[
        int,
        typer.Option("--folds", help="Cross-validation: train on the other train folds; no dev."),
    ] = 0,
    fold: Annotated[int, typer.Option("--fold", help="The held-out train fold (0-based).")] = 0,
    anchor: Annotated[
        str, typer.Option("--anchor", help="grid (windows every stride tokens) or lines.")
    ] = "grid",
    batch_size: Annotated[int, typer.Option("--batch-size")] = 16,
    evaluate: Annotated[
        bool, typer.Option("--eval/--no-eval", help="Evaluate every epoch (best.pt: the best).")
    ] = True,
    resume: Annotated[bool, typer.Option("--resume", help="Continue from OUT/last.pt.")] = False,
    export_model: Annotated[
        bool, typer.Option("--export/--no-export", help="Export OUT/model when done.")
    ] = True,
) -> None:
    """Fine-tune the technique detector on PTC train (dev for model selection), then export it."""
    from propscope.training import require_train_extra

    require_train_extra()
    from propscope.training.export import export
    from propscope.training.train import TrainConfig, train

    folder = data_dir(data)
    cfg = TrainConfig(
        base=base,
        epochs=epochs,
        seed=seed,
        lr=lr,
        device=device,
        pseudo=str(pseudo or ""),
        pseudo_epochs=pseudo_epochs if pseudo else 0,
        folds=folds,
        fold=fold,
        anchor=anchor,
        batch_size=batch_size,
        evaluate=evaluate,
    )
    train(folder, out, cfg, resume=resume)
    if export_model:
        export(out / "best.pt", out / "model", folder, name="propscope-detector", version="dev")
        typer.echo(f"model written to {out / 'model'}", err=True)


def export_cli(
    checkpoint: Annotated[Path, typer.Option("--checkpoint", help="A best.pt or last.pt file.")],
    out: Annotated[Path, typer.Option("--out", help="Model folder to write.")],
    data: Annotated[
        Path | None, typer.Option("--data", help="PTC folder (dev for tuning).")
    ] = None,
    name: Annotated[str, typer.Option("--name")] = "propscope-detector",
    version: Annotated[str, typer.Option("--version")] = "dev",
    int8: Annotated[
        str, typer.Option("--int8", help="auto: int8 if within one point of fp32 on dev; yes; no.")
    ] = "auto",
    notes: Annotated[
        str, typer.Option("--notes", help="How the checkpoint was made, for the model card.")
    ] = "",
) -> None:
    """Export a checkpoint to a model folder: ONNX, tokenizer, decoder tuned on dev, model card."""
    from propscope.training import require_train_extra

    require_train_extra()
    from propscope.training.export import export

    export(checkpoint, out, data_dir(data), name=name, version=version, int8=int8, notes=notes)


def train_claims_cli(
    data: Annotated[
        Path,
        typer.Option("--data", help="The shared data folder (CT24, CLEF CheckThat!, ClaimBuster)."),
    ],
    out: Annotated[Path, typer.Option("--out", help="Run folder: log, checkpoints, scores.")],
    layers: Annotated[int, typer.Option("--layers", help="Encoder layers kept (of 6).")] = 2,
    epochs: Annotated[int, typer.Option("--epochs")] = 2,
    lr: Annotated[float, typer.Option("--lr")] = 1e-4,
    clef_neg: Annotated[
        float, typer.Option("--clef-neg", help="Share of CLEF debate negatives per epoch.")
    ] = 0.25,
    seed: Annotated[int, typer.Option("--seed")] = 13,
) -> None:
    """Fine-tune the check-worthiness model on every labelled set (training/checkworthy.py);
    each epoch's checkpoint and scores on the evaluation sets go into --out."""
    from propscope.training import require_train_extra

    require_train_extra()
    from propscope.training.checkworthy import train

    train(
        data,
        out,
        layers=layers,
        epochs=epochs,
        lr=lr,
        clef_neg=clef_neg,
        seed=seed,
        log=lambda m: typer.echo(m, err=True),
    )


def ship_claims_cli(
    runs: Annotated[list[Path], typer.Argument(help="Run folders of train-claims.")],
    data: Annotated[Path, typer.Option("--data", help="The shared data folder.")],
    model: Annotated[Path, typer.Option("--model", help="Model folder to write claims.onnx into.")],
    version: Annotated[
        str | None, typer.Option("--version", help="The folder's new model version.")
    ] = None,
) -> None:
    """Choose a checkpoint across data sets, calibrate it on CT24 dev, choose the threshold on
    CT24 dev, dev-test and CLEF 2020 tweets dev; write it into the model folder as claims.onnx
    (training/cw_ship.py)."""
    from propscope.training import require_train_extra

    require_train_extra()
    from propscope.training.cw_ship import ship

    ship(data, model, runs, log=lambda m: typer.echo(m, err=True), version=version)


def fixture_cli(
    out: Annotated[Path, typer.Argument(help="Folder to write.")],
    seed: Annotated[int, typer.Option("--seed")] = 0,
) -> None:
    """Write a tiny random model folder (the test fixture in tests/fixtures/tiny-model)."""
    from propscope.training import require_train_extra

    require_train_extra()
    from propscope.training.fixture import build

    build(out, seed)


distill_app = typer.Typer(
    help="Self-training on a lent GPU: pack, run (teacher -> machine labels -> student), join.",
    no_args_is_help=True,
)


@distill_app.command("run")
def distill_run_cli(
    ptc: Annotated[Path, typer.Option("--ptc", help="PTC folder.")],
    teacher_base: Annotated[str, typer.Option("--teacher-base")],
    student_base: Annotated[str, typer.Option("--student-base")],
    news: Annotated[Path, typer.Option("--news", help="Unlabeled articles (JSONL, .gz too).")],
    out: Annotated[Path, typer.Option("--out", help="Run folder (resumable).")],
    news_limit: Annotated[int, typer.Option("--news-limit")] = 0,
    send: Annotated[Path | None, typer.Option("--send", help="Write the student here.")] = None,
    device: Annotated[str, typer.Option("--device")] = "auto",
    threads: Annotated[int, typer.Option("--threads")] = 8,
    batch_size: Annotated[int, typer.Option("--batch-size")] = 16,
    teacher_epochs: Annotated[int, typer.Option("--teacher-epochs")] = 8,
    teacher_lr: Annotated[float, typer.Option("--teacher-lr")] = 4e-5,
    student_epochs: Annotated[int, typer.Option("--student-epochs")] = 8,
    student_lr: Annotated[float, typer.Option("--student-lr")] = 8e-5,
    pseudo_epochs: Annotated[int, typer.Option("--pseudo-epochs")] = 4,
    baseline: Annotated[bool, typer.Option("--baseline", help="Also a gold-only control.")] = False,
    max_steps: Annotated[int, typer.Option("--max-steps")] = 0,
    limit_docs: Annotated[int, typer.Option("--limit-docs")] = 0,
) -> None:
    """Teacher -> machine labels -> student, each stage skipped when done."""
    from propscope.training import require_train_extra

    require_train_extra()
    from propscope.training.distill import DistillConfig, run

    run(
        DistillConfig(
            ptc=ptc,
            teacher_base=teacher_base,
            student_base=student_base,
            news=news,
            out=out,
            news_limit=news_limit,
            send=send,
            device=device,
            threads=threads,
            batch_size=batch_size,
            teacher_epochs=teacher_epochs,
            teacher_lr=teacher_lr,
            student_epochs=student_epochs,
            student_lr=student_lr,
            pseudo_epochs=pseudo_epochs,
            baseline=baseline,
            max_steps=max_steps,
            limit_docs=limit_docs,
        )
    )


@distill_app.command("join")
def distill_join_cli(
    parts: Annotated[list[Path], typer.Argument(help="The student.pt.NN parts.")],
    out: Annotated[Path, typer.Option("--out")],
    base_path: Annotated[str, typer.Option("--base-path", help="The base encoder folder here.")],
) -> None:
    """Put a sent student checkpoint back together (float32)."""
    from propscope.training import require_train_extra

    require_train_extra()
    from propscope.training.distill import join

    join(parts, out, base_path)


@distill_app.command("pack")
def distill_pack_cli(
    ptc: Annotated[Path, typer.Option("--ptc")],
    news: Annotated[Path, typer.Option("--news")],
    out: Annotated[Path, typer.Option("--out")],
    base: Annotated[list[str] | None, typer.Option("--base")] = None,
    news_limit: Annotated[int, typer.Option("--news-limit")] = 4000,
    part_mb: Annotated[float, typer.Option("--part-mb")] = 34.0,
) -> None:
    """Pack base encoders (float16 copies) and data into parts that fit a device call."""
    from propscope.training import require_train_extra

    require_train_extra()
    from propscope.training.transport import pack

    pack(ptc, news, out, base or ["all-MiniLM-L6-v2"], news_limit, part_mb)


def tune_decoder_cli(
    runs: Annotated[list[Path], typer.Argument(help="Fold run folders (propscope train --folds).")],
    model: Annotated[Path, typer.Option("--model", help="Model folder whose decoder to tune.")],
    data: Annotated[Path | None, typer.Option("--data", help="PTC folder (train).")] = None,
    news: Annotated[
        Path | None,
        typer.Option(
            "--news",
            help="Unlabeled articles (JSONL with id and text) for the technique temperature "
            "of a model trained by another recipe than the folds (confidence matching).",
        ),
    ] = None,
    news_skip: Annotated[
        int, typer.Option("--news-skip", help="Leave out the first N articles (seen in training).")
    ] = 0,
    news_limit: Annotated[int, typer.Option("--news-limit")] = 200,
) -> None:
    """Choose a model folder's decoder, calibration and operating points by cross-validation on
    train folds (each fold scored by a detector that never saw it); dev is never read."""
    from propscope.training import require_train_extra

    require_train_extra()
    from propscope.training.folds import tune_on_folds
    from propscope.training.pseudo import read_news

    texts = [t for _id, t in read_news(news, news_skip + news_limit)][news_skip:] if news else []
    tune_on_folds(model, runs, data_dir(data), texts, log=lambda m: typer.echo(m, err=True))
