"""Helpers shared by the commands."""

from __future__ import annotations

import os
from pathlib import Path

from propscope.errors import Code, PropscopeError
from propscope.pipeline import Model, load_model

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
