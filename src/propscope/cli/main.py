"""Entry point: builds the Typer app and turns coded errors into messages, never tracebacks."""

from __future__ import annotations

import os
import sys

import typer

from propscope.cli import (
    analyze_cmd,
    audit_cmd,
    batch_cmd,
    claims_cmd,
    corpus_cmd,
    eval_cmd,
    predict_cmd,
    serve_cmd,
    train_cmd,
)
from propscope.errors import PropscopeError

app = typer.Typer(
    name="propscope",
    help="Find persuasion techniques and checkable claims in text, span by span.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command("analyze")(analyze_cmd.analyze_cli)
app.command("eval")(eval_cmd.eval_cli)
app.command("ptc-predict")(predict_cmd.ptc_predict_cli)
app.command("eval-claims")(claims_cmd.eval_claims_cli)
app.add_typer(audit_cmd.app, name="audit")
app.command("train")(train_cmd.train_cli)
app.command("export")(train_cmd.export_cli)
app.command("train-claims")(train_cmd.train_claims_cli)
app.command("ship-claims")(train_cmd.ship_claims_cli)
app.command("tune-decoder")(train_cmd.tune_decoder_cli)
app.command("fixture", hidden=True)(train_cmd.fixture_cli)
app.add_typer(train_cmd.distill_app, name="distill")
app.command("serve")(serve_cmd.serve_cli)
app.command("batch")(batch_cmd.batch_cli)
app.add_typer(corpus_cmd.app, name="corpus")


def main() -> None:
    stdout = sys.stdout
    try:
        app()
    except SystemExit:
        # Typer (click) meets a closed pipe (`propscope ... | head`) itself: it swaps sys.stdout
        # for a wrapper that silences further writes and exits 1. A reader that stopped
        # reading is no failure of ours: exit 0, quietly.
        if sys.stdout is not stdout:
            _quiet_stdout()
            sys.exit(0)
        raise
    except PropscopeError as exc:
        print(f"error: {exc.render()}", file=sys.stderr)
        sys.exit(1)
    except BrokenPipeError:
        _quiet_stdout()
        sys.exit(0)
    except KeyboardInterrupt:
        sys.exit(130)


def _quiet_stdout() -> None:
    """Point stdout at /dev/null so that the flush at exit cannot fail on the closed pipe."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.__stdout__.fileno() if sys.__stdout__ else 1)
        os.close(devnull)
    except (OSError, ValueError):
        pass


if __name__ == "__main__":
    main()
