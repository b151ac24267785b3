"""Helpers shared by the commands."""

from __future__ import annotations

import os
from pathlib import Path

from rich.console import Console

from propscope.errors import Code, PropscopeError
from propscope.pipeline import Model, load_model
from propscope.report.render import writes_plain

MODEL_HELP = "Model folder, or builtin:lexicon / builtin:lines (default: the shipped model)."
DATA_ENV = "PROPSCOPE_PTC_DATA"


def get_model(spec: str | None) -> Model:
    return load_model(spec)


def data_dir(data: Path | None) -> Path:
    if data is not None:
        return data
    env = os.environ.get(DATA_ENV)
    if env:
        return Path(env)
    raise PropscopeError(Code.BAD_OPTION, f"no PTC folder given: pass --data DIR or set {DATA_ENV}")


def write_out(path: Path, content: str) -> None:
    try:
        path.write_text(content, encoding="utf-8")
    except IsADirectoryError:
        raise PropscopeError(
            Code.IS_A_DIRECTORY, "output path is a directory", path=str(path)
        ) from None
    except OSError as exc:
        raise PropscopeError(
            Code.UNREADABLE, f"cannot write file: {exc.strerror or exc}", path=str(path)
        ) from None


def text_console(no_color: bool = False) -> tuple[Console, bool]:
    """The console for a text view, and whether it writes plain text (no colour or other
    styles: spans are then marked inline). Plain where ``no_color`` (``--no-color``), where
    the ``NO_COLOR`` environment variable is set, or where standard output is not a terminal
    (a pipe, a file; ``FORCE_COLOR`` makes it count as one)."""
    out = Console(soft_wrap=False, highlight=False)
    plain = no_color or writes_plain(out)
    if plain and out.is_terminal:
        out = Console(soft_wrap=False, highlight=False, color_system=None)
    return out, plain
