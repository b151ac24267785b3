"""Reading input texts: exact decoding, BOM kept, coded errors."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from propscope.corpus.text import decode_utf8, read_bytes, read_stdin, read_text, require_dir
from propscope.errors import Code, PropscopeError


def test_bom_is_kept_as_character_0() -> None:
    text = decode_utf8("\ufeffTitle\nOur country".encode(), "a.txt")
    assert text[0] == "\ufeff"
    assert text[7:18] == "Our country"
    # utf-8-sig would drop it and shift every offset by one
    assert "\ufeffTitle\nOur country".encode().decode("utf-8-sig")[7:18] != "Our country"


def test_invalid_utf8_names_file_line_and_byte() -> None:
    data = b"ok line\nbad \xff here\n"
    with pytest.raises(PropscopeError) as info:
        decode_utf8(data, "bad.txt")
    err = info.value
    assert err.code is Code.INVALID_UTF8
    assert (err.path, err.line, err.byte) == ("bad.txt", 2, 12)
    assert str(err) == err.render()
    assert err.render().startswith("E004: invalid UTF-8")
    assert err.render().endswith("(bad.txt, line 2, byte 12)")


def test_truncated_multibyte_sequence_at_end_is_reported() -> None:
    data = "café".encode()[:-1]  # the é cut in half
    with pytest.raises(PropscopeError) as info:
        decode_utf8(data, "cut.txt")
    assert info.value.code is Code.INVALID_UTF8
    assert info.value.byte == 3


def test_read_text_keeps_crlf_and_bom(tmp_path: Path) -> None:
    p = tmp_path / "a.txt"
    p.write_bytes(b"\xef\xbb\xbfline one\r\nline two\r\n")
    text = read_text(p)
    assert text == "\ufeffline one\r\nline two\r\n"
    assert len(text) == 21


def test_read_text_of_empty_file(tmp_path: Path) -> None:
    p = tmp_path / "empty.txt"
    p.write_bytes(b"")
    assert read_text(p) == ""


def test_missing_file_is_e001(tmp_path: Path) -> None:
    with pytest.raises(PropscopeError) as info:
        read_text(tmp_path / "nope.txt")
    assert info.value.code is Code.FILE_NOT_FOUND
    assert info.value.render() == f"E001: file not found ({tmp_path / 'nope.txt'})"


def test_directory_as_file_is_e002(tmp_path: Path) -> None:
    with pytest.raises(PropscopeError) as info:
        read_bytes(tmp_path)
    assert info.value.code is Code.IS_A_DIRECTORY
    assert info.value.path == str(tmp_path)


def test_unreadable_file_is_e003(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    p = tmp_path / "locked.txt"
    p.write_text("secret", encoding="utf-8")

    def deny(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", deny)
    with pytest.raises(PropscopeError) as info:
        read_text(p)
    assert info.value.code is Code.UNREADABLE
    assert "Permission denied" in info.value.message
    assert info.value.path == str(p)


def test_read_stdin_decodes_bytes_exactly(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = "\ufeffa\r\nb “c”".encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw), encoding="latin-1"))
    assert read_stdin() == "\ufeffa\r\nb “c”"


def test_read_stdin_invalid_utf8(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"\x80"), encoding="latin-1"))
    with pytest.raises(PropscopeError) as info:
        read_stdin()
    assert info.value.code is Code.INVALID_UTF8
    assert (info.value.path, info.value.line, info.value.byte) == ("<stdin>", 1, 0)


def test_require_dir(tmp_path: Path) -> None:
    require_dir(tmp_path)  # no error
    with pytest.raises(PropscopeError) as info:
        require_dir(tmp_path / "missing")
    assert info.value.code is Code.FILE_NOT_FOUND
    f = tmp_path / "file.txt"
    f.write_text("x", encoding="utf-8")
    with pytest.raises(PropscopeError) as info:
        require_dir(f)
    assert info.value.code is Code.NOT_A_DIRECTORY
    assert info.value.render() == f"E005: expected a directory ({f})"


def test_error_to_dict_and_location() -> None:
    err = PropscopeError(Code.MALFORMED_LABEL, "bad", path="x.labels", line=3)
    assert err.location() == "x.labels, line 3"
    assert err.to_dict() == {
        "code": "E010",
        "message": "bad",
        "path": "x.labels",
        "line": 3,
        "byte": None,
    }
    assert PropscopeError(Code.BAD_OPTION, "no where").render() == "E030: no where"
