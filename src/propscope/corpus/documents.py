"""Streamed corpus input: folders of text and HTML files, JSONL and CSV, one document at a time.

``read_documents(inputs)`` yields a :class:`Document` per readable record and an
:class:`InputProblem` (a coded error with its file, line and byte) per unreadable one, in input
order, holding at most one record in memory: a 1 GB JSONL file streams in bounded memory, and
a line longer than ``max_bytes`` is an error for that line (read in chunks, never whole).

* A folder is read recursively (a folder's files, sorted, then its subfolders, sorted):
  ``.txt`` and ``.md`` files as UTF-8 text, ``.html`` / ``.htm`` files through the main-text
  extraction; the id is the path relative to the folder given (``news/a.txt``).
* A ``.jsonl`` file holds one JSON object per line (blank lines are skipped); ``.csv`` a header
  row and one record per row. The text is the ``text_col`` field, the id the ``id_col`` field
  (``FILE:LINE`` where the record has none); every other field is kept as metadata.
* ``source`` (or ``outlet``), ``date`` and ``author`` (or ``authors``) are first-class: the
  corpus queries group by them. A date is parsed leniently (ISO 8601, ``2020/07/21``,
  ``July 21, 2020``, ``21 Jul 2020``, ``7/21/20``, RFC 2822); the value as given is kept.

Empty texts are valid documents (their analyses are empty). A record without a text field, one
that is not a JSON object, a file that is not UTF-8 or cannot be read is an ``InputProblem``;
the stream goes on.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

from propscope.errors import Code, PropscopeError

TEXT_SUFFIXES = (".txt", ".md")
HTML_SUFFIXES = (".html", ".htm")
RECORD_SUFFIXES = (".jsonl", ".csv")
DEFAULT_MAX_BYTES = 10_000_000  # one document (a JSONL line, a file, a CSV field)
_CHUNK = 1 << 20


@dataclass(frozen=True)
class Document:
    id: str
    text: str
    where: str  # file (and line) it came from
    source: str | None = None
    date: date | None = None  # parsed where the value could be
    date_text: str | None = None  # the date as given
    author: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)  # every other field of the record
    html: bool = False  # the text was extracted from HTML
    size: int = 0  # bytes of input it was read from (progress)

    @property
    def sha256(self) -> str:
        return content_hash(self.text)


@dataclass(frozen=True)
class InputProblem:
    error: PropscopeError
    doc_id: str | None = None
    size: int = 0  # bytes of input it was read from (progress)


Item = Document | InputProblem


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def check_inputs(inputs: Sequence[Path], *, text_col: str = "text", id_col: str = "id") -> None:
    """Fail before any work: an input that does not exist or is of an unknown kind, a CSV
    without the text column (the message names the columns it has), or an id column asked
    for explicitly that a CSV lacks."""
    if not inputs:
        raise PropscopeError(Code.BAD_OPTION, "no input given: pass folders, .jsonl or .csv files")
    for path in inputs:
        name = str(path)
        if not path.exists():
            raise PropscopeError(Code.FILE_NOT_FOUND, "input not found", path=name)
        if path.is_dir():
            continue
        suffix = path.suffix.lower()
        if suffix not in RECORD_SUFFIXES + TEXT_SUFFIXES + HTML_SUFFIXES:
            raise PropscopeError(
                Code.BAD_OPTION,
                f"unknown input kind {suffix or '(no suffix)'!r}: give a folder, .jsonl, .csv, "
                ".txt, .md or .html",
                path=name,
            )
        if suffix == ".csv":
            header = _csv_header(path)
            if text_col not in header:
                have = ", ".join(repr(h) for h in header) or "none"
                raise PropscopeError(
                    Code.MISSING_COLUMN,
                    f"the CSV has no text column {text_col!r} (its columns: {have}); "
                    "choose one with --text-col",
                    path=name,
                    line=1,
                )


def read_documents(
    inputs: Sequence[Path],
    *,
    text_col: str = "text",
    id_col: str = "id",
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Iterator[Item]:
    """Every document of every input, in order (see the module's docstring)."""
    for path in inputs:
        if path.is_dir():
            yield from _read_folder(path, max_bytes)
            continue
        suffix = path.suffix.lower()
        if suffix == ".jsonl":
            yield from read_jsonl(path, text_col, id_col, max_bytes)
        elif suffix == ".csv":
            yield from _read_csv(path, text_col, id_col, max_bytes)
        else:
            yield _read_file(path, path.name, max_bytes)


# -- folders and single files ------------------------------------------------------------


def _read_folder(root: Path, max_bytes: int) -> Iterator[Item]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            if name.startswith(".") or not name.lower().endswith(TEXT_SUFFIXES + HTML_SUFFIXES):
                continue
            path = Path(dirpath) / name
            yield _read_file(path, path.relative_to(root).as_posix(), max_bytes)


def _read_file(path: Path, doc_id: str, max_bytes: int) -> Item:
    name = str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return InputProblem(_too_large(size, max_bytes, name), doc_id, size)
        data = path.read_bytes()
    except OSError as exc:
        err = PropscopeError(Code.UNREADABLE, f"cannot read file: {exc.strerror or exc}", path=name)
        return InputProblem(err, doc_id)
    meta = {"path": name}
    size = len(data)
    if path.suffix.lower() in HTML_SUFFIXES:
        from propscope.corpus.html import extract_main_text

        text = extract_main_text(data).text
        return Document(doc_id, text, name, meta=meta, html=True, size=size)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return InputProblem(_not_utf8(exc, data, name, 1, 0), doc_id, size)
    return Document(doc_id, text, name, meta=meta, size=size)


# -- JSONL -------------------------------------------------------------------------------


def read_jsonl(
    path: Path,
    text_col: str = "text",
    id_col: str = "id",
    max_bytes: int = DEFAULT_MAX_BYTES,
    *,
    name: str | None = None,
) -> Iterator[Item]:
    """The records of one JSONL file, streamed; ``name`` (default: the path) is the file's
    name in ids, places and errors (the Ray engine opens a copy under another path)."""
    name = str(path) if name is None else name
    try:
        f = path.open("rb")
    except OSError as exc:
        err = PropscopeError(Code.UNREADABLE, f"cannot read file: {exc.strerror or exc}", path=name)
        yield InputProblem(err)
        return
    with f:
        offset = 0
        for lineno, (raw, length) in enumerate(_lines(f, max_bytes), 1):
            start, offset = offset, offset + length
            if raw is not None and not raw.strip():
                continue
            item = _jsonl_record(raw, length, name, lineno, start, text_col, id_col, max_bytes)
            yield replace(item, size=length)


def _jsonl_record(
    raw: bytes | None,
    length: int,
    name: str,
    lineno: int,
    start: int,
    text_col: str,
    id_col: str,
    max_bytes: int,
) -> Item:
    if raw is None:
        return InputProblem(_too_large(length, max_bytes, name, lineno, start))
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return InputProblem(_not_utf8(exc, raw, name, lineno, start))
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        err = PropscopeError(
            Code.BAD_RECORD,
            f"not valid JSON: {exc.msg}",
            path=name,
            line=lineno,
            byte=start + len(line[: exc.pos].encode("utf-8")),
        )
        return InputProblem(err)
    if not isinstance(record, dict):
        err = PropscopeError(
            Code.BAD_RECORD,
            f"a JSON {type(record).__name__} where an object was expected",
            path=name,
            line=lineno,
            byte=start,
        )
        return InputProblem(err)
    return from_record(record, f"{name}:{lineno}", text_col, id_col, line=lineno, byte=start)


def _lines(f: io.BufferedReader, max_bytes: int) -> Iterator[tuple[bytes | None, int]]:
    """Each line of a binary file with its length in bytes; ``None`` for a line longer than
    ``max_bytes``, which is skipped in chunks and never held whole."""
    while True:
        raw = f.readline(max_bytes + 1)
        if not raw:
            return
        if len(raw) <= max_bytes or raw.endswith(b"\n"):
            yield raw, len(raw)
            continue
        length = len(raw)
        while not raw.endswith(b"\n"):
            raw = f.readline(_CHUNK)
            if not raw:
                break
            length += len(raw)
        yield None, length


# -- CSV ---------------------------------------------------------------------------------


def _csv_header(path: Path) -> list[str]:
    try:
        with path.open(encoding="utf-8-sig", errors="replace", newline="") as f:
            return next(csv.reader(f), [])
    except (OSError, csv.Error) as exc:
        raise PropscopeError(
            Code.UNREADABLE, f"cannot read the CSV header: {exc}", path=str(path)
        ) from None


def _read_csv(path: Path, text_col: str, id_col: str, max_bytes: int) -> Iterator[Item]:
    name = str(path)
    csv.field_size_limit(max(max_bytes, csv.field_size_limit()))
    try:
        # surrogateescape: a row with bytes that are not UTF-8 is reported, the rest still read
        f = path.open(encoding="utf-8-sig", errors="surrogateescape", newline="")
    except OSError as exc:
        err = PropscopeError(Code.UNREADABLE, f"cannot read file: {exc.strerror or exc}", path=name)
        yield InputProblem(err)
        return
    with f:
        reader = csv.reader(f)
        try:
            header = next(reader)
        except (StopIteration, csv.Error):
            return
        first = 2
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                err = PropscopeError(
                    Code.BAD_RECORD, f"malformed CSV: {exc}", path=name, line=reader.line_num
                )
                yield InputProblem(err)
                first = reader.line_num + 1
                continue
            line, first = first, reader.line_num + 1
            if not row or (len(row) == 1 and not row[0]):
                continue
            if any(_has_surrogate(v) for v in row):
                err = PropscopeError(
                    Code.INVALID_UTF8, "invalid UTF-8 in this row", path=name, line=line
                )
                yield InputProblem(err)
                continue
            record: dict[str, Any] = dict(zip(header, row, strict=False))
            if len(row) > len(header):
                record["_extra"] = row[len(header) :]
            size = sum(len(v.encode("utf-8", "surrogateescape")) + 1 for v in row)
            item = from_record(record, f"{name}:{line}", text_col, id_col, line=line)
            yield replace(item, size=size)


def _has_surrogate(value: str) -> bool:
    return any("\udc80" <= ch <= "\udcff" for ch in value)


# -- records -----------------------------------------------------------------------------


def from_record(
    record: Mapping[str, Any],
    default_id: str,
    text_col: str = "text",
    id_col: str = "id",
    *,
    line: int | None = None,
    byte: int | None = None,
) -> Item:
    """A document from one JSONL or CSV record (``default_id``: ``FILE:LINE``)."""
    path, _, _ = default_id.rpartition(":")
    raw_id = record.get(id_col)
    doc_id = default_id if raw_id is None or raw_id == "" else str(raw_id)
    text = record.get(text_col)
    if not isinstance(text, str):
        what = "no text field" if text is None else f"a {type(text).__name__} as text"
        err = PropscopeError(
            Code.BAD_RECORD,
            f"record {doc_id!r} has {what} {text_col!r}",
            path=path or None,
            line=line,
            byte=byte,
        )
        return InputProblem(err, doc_id)
    meta = {k: v for k, v in record.items() if k not in (text_col, id_col)}
    source = _first_str(meta, "source", "outlet")
    author = _first_str(meta, "author", "authors")
    date_text = _first_str(meta, "date")
    return Document(
        doc_id,
        text,
        default_id,
        source=source,
        date=parse_date(date_text) if date_text else None,
        date_text=date_text,
        author=author,
        meta=meta,
    )


def _first_str(meta: Mapping[str, Any], *keys: str) -> str | None:
    for key in keys:
        value = meta.get(key)
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value if v)
        if value is not None and str(value).strip():
            return str(value).strip()
    return None


_DATE_FORMATS = (
    "%Y/%m/%d",
    "%Y.%m.%d",
    "%d.%m.%Y",
    "%B %d, %Y",
    "%b %d, %Y",
    "%B %d %Y",
    "%b %d %Y",
    "%d %B %Y",
    "%d %b %Y",
    "%m/%d/%Y",
    "%m/%d/%y",
    "%Y%m%d",
)


def parse_date(value: str) -> date | None:
    """The calendar date of a date written in a common way, or None."""
    s = value.strip()
    if not s:
        return None
    try:
        return datetime.fromisoformat(s.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(s, fmt).date()
        except ValueError:
            continue
    try:
        return parsedate_to_datetime(s).date()
    except (TypeError, ValueError, IndexError):
        return None


# -- errors ------------------------------------------------------------------------------


def _too_large(
    size: int, max_bytes: int, path: str, line: int | None = None, byte: int | None = None
) -> PropscopeError:
    return PropscopeError(
        Code.TOO_LARGE,
        f"document of {size:,} bytes is larger than the limit of {max_bytes:,} (--max-bytes)",
        path=path,
        line=line,
        byte=byte,
    )


def _not_utf8(
    exc: UnicodeDecodeError, data: bytes, path: str, line: int, offset: int
) -> PropscopeError:
    return PropscopeError(
        Code.INVALID_UTF8,
        f"invalid UTF-8: {exc.reason}",
        path=path,
        line=line + data.count(b"\n", 0, exc.start),
        byte=offset + exc.start,
    )
