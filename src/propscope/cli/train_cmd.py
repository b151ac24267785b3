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
