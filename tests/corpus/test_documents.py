"""Streamed corpus input (``corpus/documents.py``): every record a document or a located error."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

import pytest

from propscope.corpus.documents import (
    Document,
    InputProblem,
    check_inputs,
    content_hash,
    parse_date,
    read_documents,
)
from propscope.errors import Code, PropscopeError


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_jsonl_records_metadata_and_errors_with_line_and_byte(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": 7, "text": "A.", "source": "Daily", "date": "2020-07-21", "x": [1]}),
        "",  # blank lines carry nothing
        "{not json",
        json.dumps(["a list"]),
        json.dumps({"id": "n", "body": "no text field"}),
        json.dumps({"text": "", "outlet": "Wire", "authors": ["Ann", "Bo"], "date": "soon"}),
    ]
    raw = ("\n".join(lines) + "\n").encode()
    path = _write(tmp_path / "c.jsonl", raw)
    items = list(read_documents([path]))
    assert [type(i).__name__ for i in items] == [
        "Document",
        "InputProblem",
        "InputProblem",
        "InputProblem",
        "Document",
    ]
    first = items[0]
    assert isinstance(first, Document)
    assert (first.id, first.text, first.source, first.date, first.date_text) == (
        "7",
        "A.",
        "Daily",
        date(2020, 7, 21),
        "2020-07-21",
    )
    assert first.meta == {"source": "Daily", "date": "2020-07-21", "x": [1]}
    assert first.where == f"{path}:1"
    assert first.size == len(lines[0]) + 1
    bad_json, a_list, no_text = items[1].error, items[2].error, items[3].error  # type: ignore[union-attr]
    start3 = len(lines[0]) + 1 + 1  # line 3 starts after line 1 and the blank line 2
    assert (bad_json.code, bad_json.line, bad_json.byte) == (Code.BAD_RECORD, 3, start3 + 1)
    assert (a_list.code, a_list.line, a_list.byte) == (
        Code.BAD_RECORD,
        4,
        start3 + len(lines[2]) + 1,
    )
    assert no_text.code is Code.BAD_RECORD and no_text.line == 5
    assert "'n' has no text field 'text'" in no_text.message
    assert items[3].doc_id == "n"  # type: ignore[union-attr]
    empty = items[4]
    assert isinstance(empty, Document)
    assert empty.id == f"{path}:6"  # no id: FILE:LINE
    assert (empty.text, empty.source, empty.author, empty.date, empty.date_text) == (
        "",
        "Wire",
        "Ann, Bo",
        None,
        "soon",
    )


def test_jsonl_bad_utf8_is_one_error_and_reading_goes_on(tmp_path: Path) -> None:
    raw = b'{"id": "a", "text": "ok"}\n{"id": "b", "text": "caf\xe9"}\n{"id": "c", "text": "x"}\n'
    items = list(read_documents([_write(tmp_path / "u.jsonl", raw)]))
    assert [getattr(i, "id", None) for i in items] == ["a", None, "c"]
    err = items[1].error  # type: ignore[union-attr]
    assert err.code is Code.INVALID_UTF8
    assert (err.line, err.byte) == (2, raw.index(b"\xe9"))


def test_a_line_longer_than_the_limit_is_an_error_read_in_chunks(tmp_path: Path) -> None:
    big = json.dumps({"id": "big", "text": "x" * 5000})
    first = '{"id": "a", "text": "a"}\n'
    raw = f'{first}{big}\n{{"id": "b", "text": "b"}}\n'.encode()
    items = list(read_documents([_write(tmp_path / "b.jsonl", raw)], max_bytes=1000))
    assert [getattr(i, "id", None) for i in items] == ["a", None, "b"]
    err = items[1].error  # type: ignore[union-attr]
    assert err.code is Code.TOO_LARGE and err.line == 2 and err.byte == len(first)
    assert f"{len(big) + 1:,} bytes" in err.message
    assert items[1].size == len(big) + 1  # type: ignore[union-attr]


def test_csv_columns_rows_without_text_and_bad_bytes(tmp_path: Path) -> None:
    raw = (
        b"doc,body,source,date\n"
        b'd1,"Line one,\nline two.",Wire,2019/03/04\n'
        b"d2\n"
        b"d3,,Wire,\n"
        b"d4,caf\xe9,Wire,\n"
        b"d5,fine,Post,July 21 2020\n"
    )
    path = _write(tmp_path / "c.csv", raw)
    items = list(read_documents([path], text_col="body", id_col="doc"))
    kinds = [
        (type(i).__name__, getattr(i, "id", None) or getattr(i, "doc_id", None)) for i in items
    ]
    assert kinds == [
        ("Document", "d1"),
        ("InputProblem", "d2"),
        ("Document", "d3"),
        ("InputProblem", None),
        ("Document", "d5"),
    ]
    d1 = items[0]
    assert isinstance(d1, Document)
    assert d1.text == "Line one,\nline two." and d1.date == date(2019, 3, 4)
    assert d1.meta == {"source": "Wire", "date": "2019/03/04"}
    assert items[1].error.line == 4  # type: ignore[union-attr]  # the record after a 2-line one
    assert items[3].error.code is Code.INVALID_UTF8 and items[3].error.line == 6  # type: ignore[union-attr]
    assert items[2].text == ""  # type: ignore[union-attr]  # an empty cell: a valid, empty text
    assert items[4].date == date(2020, 7, 21)  # type: ignore[union-attr]


def test_a_csv_without_the_text_column_fails_before_any_work(tmp_path: Path) -> None:
    path = _write(tmp_path / "c.csv", b"id,content,source\n1,hello,x\n")
    with pytest.raises(PropscopeError) as exc:
        check_inputs([path])
    assert exc.value.code is Code.MISSING_COLUMN
    assert "'id', 'content', 'source'" in exc.value.message
    check_inputs([path], text_col="content")  # the right column passes


def test_inputs_that_do_not_exist_or_are_of_unknown_kind(tmp_path: Path) -> None:
    with pytest.raises(PropscopeError) as exc:
        check_inputs([tmp_path / "nope.jsonl"])
    assert exc.value.code is Code.FILE_NOT_FOUND
    with pytest.raises(PropscopeError) as exc:
        check_inputs([_write(tmp_path / "a.pdf", b"%PDF")])
    assert exc.value.code is Code.BAD_OPTION and "'.pdf'" in exc.value.message


def test_folders_recursive_sorted_html_main_text_and_bad_files(tmp_path: Path) -> None:
    root = tmp_path / "news"
    (root / "b").mkdir(parents=True)
    _write(root / "z.txt", b"Zed.\r\nline")
    _write(root / "b" / "a.md", b"# A\n")
    _write(root / "b" / "bad.txt", b"\xff\xfe")
    _write(root / "b" / "page.html", b"<html><body><p>Main text here.</p></body></html>")
    _write(root / "b" / "skip.pdf", b"%PDF")
    _write(root / ".hidden.txt", b"no")
    items = list(read_documents([root]))
    ids = [getattr(i, "id", None) or getattr(i, "doc_id", None) for i in items]
    # a folder's files (sorted) before its subfolders (sorted)
    assert ids == ["z.txt", "b/a.md", "b/bad.txt", "b/page.html"]
    assert items[0].text == "Zed.\r\nline"  # type: ignore[union-attr]  # no newline translation
    assert items[1].text == "# A\n"  # type: ignore[union-attr]
    assert items[2].error.code is Code.INVALID_UTF8 and items[2].error.byte == 0  # type: ignore[union-attr]
    page = items[3]
    assert isinstance(page, Document) and page.html and "Main text here." in page.text


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("2020-07-21", date(2020, 7, 21)),
        ("2020-07-21T10:00:00Z", date(2020, 7, 21)),
        ("2020/07/21", date(2020, 7, 21)),
        ("July 21, 2020", date(2020, 7, 21)),
        ("21 Jul 2020", date(2020, 7, 21)),
        ("7/21/20", date(2020, 7, 21)),
        ("Tue, 21 Jul 2020 10:00:00 +0000", date(2020, 7, 21)),
        ("last week", None),
        ("", None),
    ],
)
def test_parse_date(given: str, expected: date | None) -> None:
    assert parse_date(given) == expected


def test_content_hash_is_sha256_of_utf8() -> None:
    assert content_hash("é") == hashlib.sha256(b"\xc3\xa9").hexdigest()
    assert InputProblem(PropscopeError(Code.BAD_RECORD, "x")).size == 0


def test_a_100_mb_line_is_an_error_for_that_line_read_in_bounded_memory(tmp_path: Path) -> None:
    """The issue's case: a 100 MB JSONL line between two ordinary ones. It is reported with
    its line and byte, the next line is still read, and the reader never holds it."""
    import tracemalloc

    path = tmp_path / "huge.jsonl"
    head = b'{"id": "a", "text": "before"}\n'
    with path.open("wb") as f:
        f.write(head)
        f.write(b'{"id": "huge", "text": "')
        chunk = b"x" * (1 << 20)
        for _ in range(100):
            f.write(chunk)
        f.write(b'"}\n{"id": "b", "text": "after"}\n')
    tracemalloc.start()
    items = list(read_documents([path]))  # default limit: 10 MB a document
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert [getattr(i, "id", None) for i in items] == ["a", None, "b"]
    err = items[1].error  # type: ignore[union-attr]
    assert (err.code, err.line, err.byte) == (Code.TOO_LARGE, 2, len(head))
    assert peak < 25 * (1 << 20), f"peak {peak / 2**20:.0f} MB while reading a 100 MB line"


def test_reading_is_lazy(tmp_path: Path) -> None:
    """Documents come one at a time: taking the first of a 20 MB file reads next to nothing."""
    import tracemalloc

    path = tmp_path / "many.jsonl"
    path.write_text(
        "".join(json.dumps({"id": i, "text": "x" * 1000}) + "\n" for i in range(20000)),
        encoding="utf-8",
    )
    tracemalloc.start()
    stream = read_documents([path])
    first = next(stream)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    stream.close()
    assert isinstance(first, Document) and first.id == "0"
    assert peak < 1 << 20, f"{peak / 2**20:.1f} MB held to give the first of 20 MB"
