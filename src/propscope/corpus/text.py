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
    return decode_text(data, path)


PDF_MAGIC = b"%PDF-"


def check_encoding(encoding: str) -> str:
    """``encoding`` where Python knows it as a text encoding (``latin-1``, ``cp1252``,
    ``utf-16`` ...); E062 otherwise (an unknown name, or a codec such as ``base64`` that does
    not decode bytes to text)."""
    try:
        b"a".decode(encoding)  # (b"" would decode without looking the codec up)
    except UnicodeError:  # a text encoding that cannot decode a lone "a" (utf-16)
        pass
    except LookupError:
        raise PropscopeError(
            Code.UNKNOWN_ENCODING,
            f"unknown text encoding {encoding!r} (--encoding): give a name Python knows, "
            "such as utf-8, latin-1, cp1252 or utf-16",
        ) from None
    return encoding


def decode_text(data: bytes, path: str, encoding: str | None = None) -> str:
    """Decode ``data`` (read from ``path``, named in errors) from ``encoding`` (default UTF-8,
    a leading BOM kept as character 0). A PDF is refused (E061) with a hint to convert it
    first; bytes the encoding cannot decode are E004, naming the line and byte."""
    if data.startswith(PDF_MAGIC):
        raise PropscopeError(
            Code.UNSUPPORTED_FORMAT,
            "a PDF file, not text: convert it first (e.g. `pdftotext file.pdf file.txt`) and "
            "analyse the text",
            path=path,
        )
    name = "utf-8" if encoding is None else check_encoding(encoding)
    try:
        return data.decode(name)
    except UnicodeDecodeError as exc:
        what = "invalid UTF-8" if encoding is None else f"cannot decode as {encoding}"
        raise PropscopeError(
            Code.INVALID_UTF8,
            f"{what}: {exc.reason}",
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


def read_text(path: Path, encoding: str | None = None) -> str:
    """Read a text file exactly: no newline translation, BOM kept; UTF-8 unless ``encoding``
    names another (``decode_text``: E004, E061, E062)."""
    return decode_text(read_bytes(path), str(path), encoding)


def read_stdin(encoding: str | None = None) -> str:
    return decode_text(sys.stdin.buffer.read(), "<stdin>", encoding)


def require_dir(path: Path) -> None:
    if not path.exists():
        raise PropscopeError(Code.FILE_NOT_FOUND, "directory not found", path=str(path))
    if not path.is_dir():
        raise PropscopeError(Code.NOT_A_DIRECTORY, "expected a directory", path=str(path))
