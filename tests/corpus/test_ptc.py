"""The PTC corpus reader and the official label formats."""

from __future__ import annotations

from pathlib import Path

import pytest

from propscope.corpus.ptc import (
    GoldSpan,
    article_id,
    format_si,
    format_tc,
    parse_label_line,
    read_articles,
    read_label_file,
    read_split,
    read_template,
)
from propscope.errors import Code, PropscopeError
from propscope.types import Span


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    return path


def _tc_file(ptc, aid: str) -> Path:
    return ptc.root / "dev-labels-task-flc-tc" / f"article{aid}.task-flc-tc.labels"


def _si_file(ptc, aid: str) -> Path:
    return ptc.root / "dev-labels-task-si" / f"article{aid}.task-si.labels"


def test_fixture_offsets_are_right(ptc) -> None:
    for aid, _tech, start, end, expected in ptc.tc_gold:
        assert ptc.articles[aid][start:end] == expected


def test_article_id() -> None:
    assert article_id(Path("x/article111111111.txt")) == "111111111"
    assert article_id(Path("article7.txt")) == "7"
    assert article_id(Path("notes.txt")) == "notes"


def test_read_articles_keeps_bom_and_skips_other_files(ptc) -> None:
    _write(ptc.root / "dev-articles" / "README.md", "not an article")
    docs = read_articles(ptc.root / "dev-articles")
    assert list(docs) == ["1", "2", "3", "4"]
    assert docs["2"].text == ptc.articles["2"]
    assert docs["2"].text[0] == "\ufeff"
    assert docs["1"].path == str(ptc.article("1"))
    assert all(d.spans == [] and d.si_spans == [] for d in docs.values())


def test_read_split_reads_gold(ptc) -> None:
    docs = {d.id: d for d in read_split(ptc.root, "dev")}
    assert sorted(docs) == ["1", "2", "3", "4"]
    assert docs["1"].spans == [
        GoldSpan(20, 24, "Loaded_Language"),
        GoldSpan(25, 30, "Loaded_Language"),  # sorted by (start, end, technique)
        GoldSpan(25, 30, "Name_Calling,Labeling"),
    ]
    assert docs["1"].si_spans == [(20, 24), (25, 30)]
    assert docs["2"].spans == [GoldSpan(12, 23, "Flag-Waving")]
    assert docs["2"].si_spans == [(12, 23)]
    # empty label files and missing label files both mean "no spans"
    assert docs["3"].spans == [] and docs["3"].si_spans == []
    assert docs["4"].spans == [] and docs["4"].si_spans == []


def test_gold_offsets_slice_the_text_read_with_utf8_not_utf8_sig(ptc) -> None:
    docs = {d.id: d for d in read_split(ptc.root, "dev")}
    for aid, tech, start, end, expected in ptc.tc_gold:
        doc = docs[aid]
        assert doc.text[start:end] == expected
        assert Span(start, end, tech) in doc.gold()
    raw = ptc.article("2").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.decode("utf-8-sig")[12:23] != "Our country"


def test_read_split_falls_back_to_the_combined_label_files(ptc, tmp_path: Path) -> None:
    root = tmp_path / "combined"
    for aid, text in ptc.articles.items():
        _write(root / "train-articles" / f"article{aid}.txt", text)
    _write(
        root / "train-task-flc-tc.labels",
        "1\tLoaded_Language\t20\t24\n\n2\tFlag-Waving\t12\t23\n",
    )
    _write(root / "train-task-si.labels", "2\t12\t23\r\n1\t20\t24\r\n")
    docs = {d.id: d for d in read_split(root, "train")}
    assert docs["1"].spans == [GoldSpan(20, 24, "Loaded_Language")]
    assert docs["2"].spans == [GoldSpan(12, 23, "Flag-Waving")]
    assert docs["1"].si_spans == [(20, 24)]
    assert docs["2"].si_spans == [(12, 23)]


def test_read_split_without_any_labels(ptc, tmp_path: Path) -> None:
    root = tmp_path / "nolabels"
    _write(root / "test-articles" / "article9.txt", "Some text.\n")
    docs = read_split(root, "test")
    assert [(d.id, d.spans, d.si_spans) for d in docs] == [("9", [], [])]


def test_missing_split_folder_is_e001(ptc) -> None:
    with pytest.raises(PropscopeError) as info:
        read_split(ptc.root, "train")
    assert info.value.code is Code.FILE_NOT_FOUND
    assert info.value.path == str(ptc.root / "train-articles")


def test_root_that_is_a_file_is_e005(tmp_path: Path) -> None:
    f = _write(tmp_path / "file", "x")
    with pytest.raises(PropscopeError) as info:
        read_split(f, "dev")
    assert info.value.code is Code.NOT_A_DIRECTORY


@pytest.mark.parametrize(
    ("line", "fragment"),
    [
        ("1\tLoaded_Language\t20\n", "expected 4 tab-separated fields"),
        ("1 Loaded_Language 20 24\n", "got 1"),
        ("1\tLoaded_Language\t20\t24\textra\n", "got 5"),
        ("1\tLoaded_Language\ttwenty\t24\n", "must be integers"),
        ("1\tLoaded_Language\t20\t24.0\n", "must be integers"),
    ],
)
def test_malformed_tc_label_is_e010_with_file_and_line(ptc, line: str, fragment: str) -> None:
    path = _tc_file(ptc, "1")
    _write(path, "1\tLoaded_Language\t20\t24\n" + line)
    with pytest.raises(PropscopeError) as info:
        read_split(ptc.root, "dev")
    err = info.value
    assert err.code is Code.MALFORMED_LABEL
    assert fragment in err.message
    assert (err.path, err.line) == (str(path), 2)
    assert err.render().endswith(f"({path}, line 2)")


def test_malformed_si_label_is_e010(ptc) -> None:
    path = _si_file(ptc, "1")
    _write(path, "\n\n1\tLoaded_Language\t20\t24\n")  # a TC line in the SI folder, on line 3
    with pytest.raises(PropscopeError) as info:
        read_split(ptc.root, "dev")
    assert info.value.code is Code.MALFORMED_LABEL
    assert "expected 3 tab-separated fields" in info.value.message
    assert (info.value.path, info.value.line) == (str(path), 3)


@pytest.mark.parametrize(("start", "end"), [(40, 60), (-1, 5), (10, 10), (12, 5), (0, 51)])
def test_label_outside_its_article_is_e011(ptc, start: int, end: int) -> None:
    path = _tc_file(ptc, "1")  # article1 has 50 characters
    _write(path, f"1\tDoubt\t{start}\t{end}\n")
    with pytest.raises(PropscopeError) as info:
        read_split(ptc.root, "dev")
    err = info.value
    assert err.code is Code.LABEL_OUT_OF_RANGE
    assert "outside article 1 (length 50)" in err.message
    assert (err.path, err.line) == (str(path), 1)


def test_label_ending_at_the_last_character_is_accepted(ptc) -> None:
    _write(_tc_file(ptc, "1"), "1\tDoubt\t0\t50\n")
    docs = {d.id: d for d in read_split(ptc.root, "dev")}
    assert docs["1"].spans == [GoldSpan(0, 50, "Doubt")]


def test_si_label_outside_its_article_is_e011(ptc) -> None:
    path = _si_file(ptc, "2")
    _write(path, "2\t12\t23\n2\t30\t35\n")  # article2 has 34 characters
    with pytest.raises(PropscopeError) as info:
        read_split(ptc.root, "dev")
    assert info.value.code is Code.LABEL_OUT_OF_RANGE
    assert (info.value.path, info.value.line) == (str(path), 2)


def test_unknown_technique_is_e012(ptc) -> None:
    path = _tc_file(ptc, "1")
    _write(path, "1\tLoaded Language\t20\t24\n")
    with pytest.raises(PropscopeError) as info:
        read_split(ptc.root, "dev")
    assert info.value.code is Code.UNKNOWN_TECHNIQUE
    assert "'Loaded Language'" in info.value.message
    assert info.value.line == 1


def test_label_for_an_unknown_article_is_e013(ptc) -> None:
    path = _tc_file(ptc, "1")
    _write(path, "1\tDoubt\t0\t5\n42\tDoubt\t0\t5\n")
    with pytest.raises(PropscopeError) as info:
        read_split(ptc.root, "dev")
    assert info.value.code is Code.UNKNOWN_ARTICLE
    assert "article 42" in info.value.message
    assert (info.value.path, info.value.line) == (str(path), 2)


def test_read_label_file_skips_blank_lines_and_accepts_crlf(tmp_path: Path) -> None:
    path = _write(tmp_path / "a.labels", "1\tDoubt\t0\t5\r\n\r\n   \n1\tSlogans\t6\t9\r\n")
    rows = list(read_label_file(path, with_technique=True))
    assert rows == [(1, "1", "Doubt", 0, 5), (4, "1", "Slogans", 6, 9)]


def test_parse_label_line_shapes() -> None:
    kw = {"path": "x", "lineno": 1}
    assert parse_label_line("7\t3\t9", with_technique=False, **kw) == ("7", None, 3, 9)
    assert parse_label_line("7\t?\t3\t9\n", with_technique=True, allow_unknown=True, **kw) == (
        "7",
        "?",
        3,
        9,
    )
    # "?" is a template placeholder, never a gold technique
    with pytest.raises(PropscopeError) as info:
        parse_label_line("7\t?\t3\t9", with_technique=True, **kw)
    assert info.value.code.value == "E012"
    assert parse_label_line("7\tDoubt\t3\t9", with_technique=True, **kw) == ("7", "Doubt", 3, 9)


def test_read_template_accepts_question_marks_and_three_columns(tmp_path: Path) -> None:
    path = _write(tmp_path / "t.out", "1\t?\t20\t24\n\n1\tDoubt\t25\t30\n2\t12\t23\n")
    assert read_template(path) == [("1", 20, 24), ("1", 25, 30), ("2", 12, 23)]


def test_read_template_reports_bad_lines(tmp_path: Path) -> None:
    path = _write(tmp_path / "t.out", "1\t?\t20\t24\n1\t?\t20\n1\t?\n")
    with pytest.raises(PropscopeError) as info:
        read_template(path)
    # line 2 has three columns, so it is read as SI ("id start end") and "?" is not a number
    assert info.value.code is Code.MALFORMED_LABEL
    assert (info.value.path, info.value.line) == (str(path), 2)


def test_format_si_and_tc() -> None:
    assert format_si([("1", 0, 9), ("2", 12, 33)]) == "1\t0\t9\n2\t12\t33\n"
    assert format_tc([("1", "Doubt", 0, 9)]) == "1\tDoubt\t0\t9\n"
    assert format_si([]) == format_tc([]) == ""


def test_formatted_labels_read_back(tmp_path: Path) -> None:
    rows = [("1", "Loaded_Language", 20, 24), ("1", "Name_Calling,Labeling", 25, 30)]
    path = _write(tmp_path / "x.labels", format_tc(rows))
    assert [r[1:] for r in read_label_file(path, with_technique=True)] == rows
