"""Reading input texts with coded errors instead of tracebacks."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from propscope.errors import Code, PropscopeError

_SURROGATE = re.compile("[\ud800-\udfff]")


def replace_surrogates(text: str) -> tuple[str, int]:
    """``text`` with each lone surrogate code point (which no tokenizer or UTF-8 encoder takes)
    replaced by U+FFFD, one for one, so every offset still indexes the original; and how many."""
    return _SURROGATE.subn("\ufffd", text)


def decode_utf8(data: bytes, path: str) -> str:
    """Decode UTF-8 keeping a leading BOM as character 0 (PTC offsets count it)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PropscopeError(
            Code.INVALID_UTF8,
            f"invalid UTF-8: {exc.reason}",
            path=path,
            line=data.count(b"\n", 0, exc.start) + 1,
            byte=exc.start,
        ) from None


def read_bytes(path: Path) -> bytes:
    name = str(path)
    if not path.exists():
        raise PropscopeError(Code.FILE_NOT_FOUND, "file not found", path=name)
    if path.is_dir():
        raise PropscopeError(Code.IS_A_DIRECTORY, "expected a file, got a directory", path=name)
    try:
        return path.read_bytes()
    except OSError as exc:
        raise PropscopeError(
            Code.UNREADABLE, f"cannot read file: {exc.strerror or exc}", path=name
        ) from None


def read_text(path: Path) -> str:
    """Read a UTF-8 file exactly: no newline translation, BOM kept."""
    return decode_utf8(read_bytes(path), str(path))


def read_stdin() -> str:
    return decode_utf8(sys.stdin.buffer.read(), "<stdin>")


def require_dir(path: Path) -> None:
    if not path.exists():
        raise PropscopeError(Code.FILE_NOT_FOUND, "directory not found", path=str(path))
    if not path.is_dir():
        raise PropscopeError(Code.NOT_A_DIRECTORY, "expected a directory", path=str(path))
