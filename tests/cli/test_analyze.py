"""``propscope analyze`` run as a real subprocess: formats, stdin, several files, bad input."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

LEX = ("--model", "builtin:lexicon")
LINES = ("--model", "builtin:lines")

# What builtin:lexicon finds in the tiny articles (offsets by hand, see conftest.py).
LEX_SPANS_1 = [(20, 24, "Loaded_Language", "evil"), (25, 30, "Name_Calling,Labeling", "thugs")]
LEX_SPANS_2 = [(12, 23, "Flag-Waving", "Our country")]


def _spans(d: dict) -> list[tuple[int, int, str, str]]:
    return [(s["start"], s["end"], s["technique"], s["text"]) for s in d["spans"]]


def _check_offsets(d: dict, text: str) -> None:
    assert d["text_length"] == len(text)
    for s in d["spans"]:
        assert text[s["start"] : s["end"]] == s["text"]


def test_json_on_one_file(run_cli, ptc) -> None:
    r = run_cli("analyze", ptc.article("1"), "--format", "json", *LEX)
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["schema"] == "propscope.analysis/2"
    assert d["model"]["name"] == "propscope-lexicon-baseline"
    assert "source" not in d
    assert _spans(d) == LEX_SPANS_1
    assert {w["code"] for w in d["warnings"]} == {"W003"}
    _check_offsets(d, ptc.articles["1"])


def test_bom_is_character_0_in_json_offsets(run_cli, ptc) -> None:
    r = run_cli("analyze", ptc.article("2"), "-f", "json", *LEX)
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    text = ptc.article("2").read_bytes().decode("utf-8")  # not utf-8-sig
    assert text[0] == "\ufeff"
    assert _spans(d) == LEX_SPANS_2
    _check_offsets(d, text)


@pytest.mark.parametrize("args", [("-",), ()], ids=["dash", "no-argument"])
def test_stdin(run_cli, ptc, args: tuple[str, ...]) -> None:
    data = ptc.article("1").read_bytes()
    r = run_cli("analyze", *args, "-f", "jsonl", *LEX, input=data)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert len(lines) == 1
    d = json.loads(lines[0])
    assert d["source"] == "<stdin>"
    assert _spans(d) == LEX_SPANS_1
    _check_offsets(d, ptc.articles["1"])


def test_stdin_keeps_bom_and_crlf(run_cli) -> None:
    text = "\ufeffWhat an outrageous idea.\r\nReally.\r\n"
    r = run_cli("analyze", "-f", "json", *LEX, input=text.encode())
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert _spans(d) == [(9, 19, "Loaded_Language", "outrageous")]
    _check_offsets(d, text)


def test_jsonl_on_several_files(run_cli, ptc) -> None:
    files = [ptc.article(a) for a in ("1", "2", "3")]
    r = run_cli("analyze", *files, "-f", "jsonl", *LEX)
    assert r.returncode == 0, r.stderr
    rows = [json.loads(line) for line in r.stdout.splitlines()]
    assert [row["source"] for row in rows] == [str(f) for f in files]
    assert _spans(rows[0]) == LEX_SPANS_1
    assert _spans(rows[1]) == LEX_SPANS_2
    assert rows[2]["spans"] == []


def test_json_on_several_files_is_a_list_with_sources(run_cli, ptc) -> None:
    files = [ptc.article("1"), ptc.article("2")]
    r = run_cli("analyze", *files, "-f", "json", *LEX)
    assert r.returncode == 0, r.stderr
    items = json.loads(r.stdout)
    assert isinstance(items, list)
    assert [i["source"] for i in items] == [str(f) for f in files]
    assert [_spans(i) for i in items] == [LEX_SPANS_1, LEX_SPANS_2]


def test_ptc_format_uses_the_article_id(run_cli, ptc) -> None:
    r = run_cli("analyze", ptc.article("1"), ptc.article("2"), "-f", "ptc", *LEX)
    assert r.returncode == 0, r.stderr
    assert r.stdout == (
        "1\tLoaded_Language\t20\t24\n1\tName_Calling,Labeling\t25\t30\n2\tFlag-Waving\t12\t23\n"
    )


def test_ptc_format_on_stdin(run_cli, ptc) -> None:
    r = run_cli("analyze", "-f", "ptc", *LINES, input=ptc.articles["1"].encode())
    assert r.returncode == 0, r.stderr
    assert r.stdout == (
        "stdin\tLoaded_Language\t0\t9\n"
        "stdin\tLoaded_Language\t11\t31\n"
        "stdin\tLoaded_Language\t32\t49\n"
    )


def test_text_format(run_cli, ptc) -> None:
    r = run_cli("analyze", ptc.article("1"), *LEX)  # text is the default format
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "They are evil thugs." in out
    assert "Loaded language" in out
    assert "Name calling or labelling" in out
    assert "propscope-lexicon-baseline 0.1.0" in out
    assert f"{len(ptc.articles['1'])} characters, 2 spans" in out
    assert "W003" in out


def test_text_format_on_several_files_names_each(run_cli, ptc) -> None:
    r = run_cli("analyze", ptc.article("1"), ptc.article("4"), "-f", "text", *LEX)
    assert r.returncode == 0, r.stderr
    assert str(ptc.article("1")) in r.stdout
    assert str(ptc.article("4")) in r.stdout
    assert "0 spans" in r.stdout


@pytest.mark.parametrize("fmt", ["text", "json", "jsonl", "ptc"])
def test_every_format_with_lines_model(run_cli, ptc, fmt: str) -> None:
    r = run_cli("analyze", ptc.article("1"), "-f", fmt, *LINES)
    assert r.returncode == 0, r.stderr
    if fmt == "json":
        assert _spans(json.loads(r.stdout)) == [
            (0, 9, "Loaded_Language", "Title one"),
            (11, 31, "Loaded_Language", "They are evil thugs."),
            (32, 49, "Loaded_Language", "A calm line here."),
        ]
    elif fmt == "jsonl":
        assert len(json.loads(r.stdout)["spans"]) == 3
    elif fmt == "ptc":
        assert r.stdout.count("\n") == 3
    else:
        assert "propscope-lines-baseline" in r.stdout and "3 spans" in r.stdout


@pytest.mark.parametrize("content", [b"", b"   \n\t\r\n  "], ids=["empty", "whitespace"])
@pytest.mark.parametrize("via", ["file", "stdin"])
def test_empty_text_gives_an_empty_analysis(
    run_cli, tmp_path: Path, content: bytes, via: str
) -> None:
    if via == "file":
        f = tmp_path / "empty.txt"
        f.write_bytes(content)
        r = run_cli("analyze", f, "-f", "json", *LINES)
    else:
        r = run_cli("analyze", "-f", "json", *LINES, input=content)
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["schema"] == "propscope.analysis/2"
    assert d["spans"] == []
    assert d["text_length"] == len(content.decode())


def test_empty_text_in_ptc_format_writes_nothing(run_cli) -> None:
    r = run_cli("analyze", "-f", "ptc", *LEX, input=b"\n\n")
    assert (r.returncode, r.stdout) == (0, "")


# ---------------------------------------------------------------- bad input


def test_missing_file_is_e001(run_cli, tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    r = run_cli("analyze", missing, "-f", "json", *LEX)
    assert r.returncode == 1
    assert r.stdout == ""
    assert f"E001: file not found ({missing})" in r.stderr


def test_directory_is_e002(run_cli, tmp_path: Path) -> None:
    r = run_cli("analyze", tmp_path, *LEX)
    assert r.returncode == 1
    assert f"E002: expected a file, got a directory ({tmp_path})" in r.stderr


def test_invalid_utf8_is_e004_with_file_and_byte(run_cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"Fine first line.\nThen \xe9 latin-1.\n")  # 0xE9 at byte 22
    r = run_cli("analyze", bad, "-f", "jsonl", *LEX)
    assert r.returncode == 1
    assert r.stdout == ""
    assert "E004: invalid UTF-8" in r.stderr
    assert f"({bad}, line 2, byte 22)" in r.stderr


def test_invalid_utf8_on_stdin(run_cli) -> None:
    r = run_cli("analyze", *LEX, input=b"abc\xff")
    assert r.returncode == 1
    assert "E004" in r.stderr and "(<stdin>, line 1, byte 3)" in r.stderr


@pytest.mark.parametrize("fmt", ["jsonl", "json"])
def test_one_bad_file_among_several(run_cli, ptc, tmp_path: Path, fmt: str) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe")
    missing = tmp_path / "missing.txt"
    good1, good2 = ptc.article("1"), ptc.article("2")
    r = run_cli("analyze", good1, bad, good2, missing, "-f", fmt, *LEX)
    assert r.returncode == 1
    rows = (
        [json.loads(line) for line in r.stdout.splitlines()]
        if fmt == "jsonl"
        else json.loads(r.stdout)
    )
    # the good files are still analysed, in order, and named
    assert [row["source"] for row in rows] == [str(good1), str(good2)]
    assert _spans(rows[0]) == LEX_SPANS_1
    assert _spans(rows[1]) == LEX_SPANS_2
    # the failures are summed up at the end of stderr
    tail = r.stderr_lines()[-3:]
    assert tail[0] == "2 of 4 input(s) failed:"
    assert tail[1].strip().startswith("E004: invalid UTF-8") and str(bad) in tail[1]
    assert tail[2].strip() == f"E001: file not found ({missing})"


def test_json_keeps_list_shape_when_only_one_of_several_inputs_is_read(
    run_cli, ptc, tmp_path: Path
) -> None:
    r = run_cli("analyze", ptc.article("1"), tmp_path / "missing.txt", "-f", "json", *LEX)
    assert r.returncode == 1
    items = json.loads(r.stdout)
    assert isinstance(items, list)
    assert [i["source"] for i in items] == [str(ptc.article("1"))]


def test_unknown_builtin_model_is_e020(run_cli, ptc) -> None:
    r = run_cli("analyze", ptc.article("1"), "--model", "builtin:nope")
    assert r.returncode == 1
    assert "E020: unknown built-in model 'nope'" in r.stderr


def test_missing_model_folder_is_e020(run_cli, ptc, tmp_path: Path) -> None:
    r = run_cli("analyze", ptc.article("1"), "--model", tmp_path / "no-model")
    assert r.returncode == 1
    assert "E020: model folder not found" in r.stderr


def test_unknown_format_is_a_usage_error(run_cli, ptc) -> None:
    r = run_cli("analyze", ptc.article("1"), "-f", "xml", *LEX)
    assert r.returncode == 2
    assert "xml" in r.stderr
    assert r.stdout == ""


def test_sensitivity_and_min_score(run_cli, ptc) -> None:
    tiny = Path(__file__).resolve().parents[1] / "fixtures" / "tiny-model"
    r = run_cli("analyze", ptc.article("1"), "--format", "json", "--model", tiny)
    assert r.returncode == 0, r.stderr
    every = json.loads(r.stdout)
    scores = sorted(s["score"] for s in every["spans"])
    assert len(scores) >= 2 and "min_score" not in every  # the fixture has no operating points
    cut = (scores[0] + scores[-1]) / 2
    r = run_cli("analyze", ptc.article("1"), "-f", "json", "--model", tiny, "--min-score", cut)
    d = json.loads(r.stdout)
    assert d["min_score"] == round(cut, 4)
    assert sorted(s["score"] for s in d["spans"]) == [s for s in scores if s >= cut]
    r = run_cli("analyze", ptc.article("1"), "--model", tiny, "--min-score", "1.5")
    assert r.returncode != 0 and "--min-score" in r.stderr
    r = run_cli("analyze", ptc.article("1"), "--model", tiny, "--sensitivity", "loud")
    assert r.returncode != 0 and "--sensitivity" in r.stderr


TINY = Path(__file__).resolve().parents[1] / "fixtures" / "tiny-model"
# On the tiny fixture, the second sentence scores highest and the first lowest: ranked by score
# the claims are not in text order.
CLAIMS_TEXT = (
    "Nothing more here.\nThe council spent $4 million on offices in 2019.\nThey are evil thugs.\n"
)


def test_claims_threshold_chooses_the_claims(run_cli) -> None:
    data = CLAIMS_TEXT.encode("utf-8")
    r = run_cli("analyze", "-f", "json", "--model", TINY, input=data)
    assert r.returncode == 0, r.stderr
    every = json.loads(r.stdout)
    assert every["claims_threshold"] == 0.0  # the fixture's own threshold
    scores = sorted(c["score"] for c in every["claims"])
    assert len(scores) == len(every["sentences"]) == 3 and scores[0] < scores[-1]
    cut = (scores[0] + scores[-1]) / 2
    r = run_cli("analyze", "-f", "json", "--model", TINY, "--claims-threshold", cut, input=data)
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["claims_threshold"] == round(cut, 4)
    assert sorted(c["score"] for c in d["claims"]) == [s for s in scores if s >= cut]
    r = run_cli("analyze", "-f", "json", "--model", TINY, "--claims-threshold", "1", input=data)
    assert json.loads(r.stdout)["claims"] == []
    r = run_cli("analyze", "-f", "json", *LEX, "--claims-threshold", "0.5", input=data)
    assert r.returncode == 0 and "claims_threshold" not in json.loads(r.stdout)  # no claims head


@pytest.mark.parametrize("bad", ["1.5", "-0.1", "nan"])
def test_bad_claims_threshold_is_e030(run_cli, ptc, bad: str) -> None:
    r = run_cli("analyze", ptc.article("1"), "--model", TINY, "--claims-threshold", bad)
    assert r.returncode == 1
    assert f"E030: claims threshold {float(bad)} is not in [0, 1]" in r.stderr
    assert r.stdout == ""


def test_claims_threshold_that_is_no_number_is_a_usage_error(run_cli, ptc) -> None:
    r = run_cli("analyze", ptc.article("1"), *LEX, "--claims-threshold", "high")
    assert r.returncode == 2 and "--claims-threshold" in r.stderr


def test_text_view_ranks_claims_by_score_and_names_the_threshold(run_cli) -> None:
    data = CLAIMS_TEXT.encode("utf-8")
    d = json.loads(run_cli("analyze", "-f", "json", "--model", TINY, input=data).stdout)
    ranked = sorted(d["claims"], key=lambda c: -c["score"])
    assert [c["text"] for c in ranked] != [c["text"] for c in d["claims"]]  # not text order
    r = run_cli("analyze", "--model", TINY, input=data)
    assert r.returncode == 0, r.stderr
    table = r.stdout[r.stdout.index("Check-worthy claims (3)") :]
    cells = [line.split("│")[1:3] for line in table.splitlines() if line.startswith("│ ")]
    rows = [(n.strip(), sc.strip()) for n, sc in cells if n.strip()]  # a claim's first line
    assert rows == [(str(i), f"{c['score']:.2f}") for i, c in enumerate(ranked, 1)]
    at = [table.index(c["text"][:12]) for c in ranked]
    assert at == sorted(at)
    flat = " ".join(table.split())
    assert "probability that the sentence states a check-worthy fact" in flat
    assert "Claims: the sentences scoring at least 0 (3 of 3; 0 below)." in flat
    cut = (ranked[0]["score"] + ranked[-1]["score"]) / 2
    r = run_cli("analyze", "--model", TINY, "--claims-threshold", cut, input=data)
    n = sum(c["score"] >= cut for c in ranked)
    assert 0 < n < 3
    flat = " ".join(r.stdout.split())
    assert f"Check-worthy claims ({n})" in flat
    assert f"scoring at least {round(cut, 4):g} ({n} of 3; {3 - n} below)." in flat


def test_a_closed_pipe_exits_0_quietly(tmp_path: Path) -> None:
    """`propscope analyze ... | head -c 1`: the reader is gone before the output is written."""
    import subprocess
    import sys

    src = tmp_path / "a.txt"
    src.write_text("They are evil thugs. " * 2000, encoding="utf-8")
    cmd = [sys.executable, "-m", "propscope.cli.main", "analyze", str(src), "--format", "json"]
    proc = subprocess.Popen(
        [*cmd, "--model", "builtin:lexicon"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(60) == 0, err
    assert err == ""


# ---------------------------------------------------------------- text view in pipes (issue 15)

ESC = "\x1b["
MARK_EVIL = "[[evil]]{Loaded_Language 0.50/1.00}"  # builtin:lexicon scores every span 0.5


def test_piped_text_view_marks_spans_inline_with_a_key(run_cli, ptc) -> None:
    r = run_cli("analyze", ptc.article("1"), *LEX)
    assert r.returncode == 0, r.stderr
    assert ESC not in r.stdout
    assert f"They are {MARK_EVIL} [[thugs]]{{Name_Calling,Labeling 0.50/1.00}}." in r.stdout
    flat = " ".join(r.stdout.split())
    assert "Key: [[text]]{Label S/T} marks a persuasion span" in flat
    assert "span score: how sure the model is that the text is a persuasion span" in flat
    assert "Article summary" in r.stdout


def test_text_view_in_a_terminal_has_colours_and_no_color_removes_them(run_cli, ptc) -> None:
    tty = {"FORCE_COLOR": "1"}  # Rich writes as to a terminal
    r = run_cli("analyze", ptc.article("1"), *LEX, extra_env=tty)
    assert r.returncode == 0, r.stderr
    assert ESC in r.stdout and "[[evil]]" not in r.stdout
    plain = re.sub(r"\x1b\[[0-9;]*m", "", r.stdout)
    assert "Key: Loaded language, Name calling or labelling; italic: quoted speech" in plain
    for args, env in [(("--no-color",), tty), ((), {**tty, "NO_COLOR": "1"})]:
        r = run_cli("analyze", ptc.article("1"), *LEX, *args, extra_env=env)
        assert r.returncode == 0, r.stderr
        assert ESC not in r.stdout and MARK_EVIL in r.stdout, args


def test_text_view_summary_matches_the_json_profile(run_cli) -> None:
    data = b'Smith said: "They are evil thugs and liars." We stay calm.\nOur country!\n'
    p = json.loads(run_cli("analyze", "-f", "json", *LEX, input=data).stdout)["profile"]
    assert p["quoted"]["words"] == 6 and p["author"]["words"] == 7
    r = run_cli("analyze", *LEX, input=data)
    voices = [p, p["author"], p["quoted"]]
    rows = {
        "sentences": [str(v["sentences"]) for v in voices],
        "words": [str(v["words"]) for v in voices],
        "sentences with a technique": [
            f"{100 * v['share_of_sentences_with_technique']:.1f}%" for v in voices
        ],
        "techniques per 1,000 words": [f"{v['techniques_per_1000_words']:.2f}" for v in voices],
        "check-worthy claims": [str(v["check_worthy_claims"]) for v in voices],
        "mean sentence score": [f"{v['mean_sentence_score']:.2f}" for v in voices],
    }
    for label, cells in rows.items():
        m = re.search(rf"^{re.escape(label)} +([^a-z]*)$", r.stdout, re.M)
        assert m and m.group(1).split() == cells, label


@pytest.mark.parametrize("encoding", ["latin-1", "utf-16"])
def test_encoding_reads_a_non_utf8_file_with_character_offsets(
    run_cli, tmp_path: Path, encoding: str
) -> None:
    text = "Ça, «déjà vu»: they are evil thugs.\n"
    src = tmp_path / "a.txt"
    src.write_bytes(text.encode(encoding))
    r = run_cli("analyze", src, "-f", "json", *LEX, "--encoding", encoding)
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert _spans(d) == [
        (24, 28, "Loaded_Language", "evil"),
        (29, 34, "Name_Calling,Labeling", "thugs"),
    ]
    assert text[24:28] == "evil"
    _check_offsets(d, text)
    r = run_cli("analyze", "-f", "json", *LEX, "--encoding", encoding, input=text.encode(encoding))
    assert r.returncode == 0 and _spans(json.loads(r.stdout))[0][:2] == (24, 28)
    if encoding == "latin-1":  # without --encoding: not UTF-8
        r = run_cli("analyze", src, "-f", "json", *LEX)
        assert (
            r.returncode == 1
            and f"E004: invalid UTF-8: invalid continuation byte ({src}, line 1, byte 0)"
            in r.stderr
        )


def test_bytes_the_encoding_cannot_decode_are_e004_with_file_and_byte(
    run_cli, tmp_path: Path
) -> None:
    src = tmp_path / "a.txt"
    src.write_bytes(b"They are evil.\nCaf\xe9.\n")  # 0xE9 at byte 18
    r = run_cli("analyze", src, *LEX, "--encoding", "ascii")
    assert r.returncode == 1 and r.stdout == ""
    assert (
        f"E004: cannot decode as ascii: ordinal not in range(128) ({src}, line 2, byte 18)"
        in r.stderr
    )


@pytest.mark.parametrize("name", ["klingon", "base64"])
def test_unknown_encoding_is_e062(run_cli, ptc, name: str) -> None:
    r = run_cli("analyze", ptc.article("1"), *LEX, "--encoding", name)
    assert r.returncode == 1 and r.stdout == ""
    assert f"E062: unknown text encoding '{name}' (--encoding)" in r.stderr


def test_a_pdf_is_e061_with_a_hint(run_cli, ptc, tmp_path: Path) -> None:
    pdf = tmp_path / "paper.pdf"
    pdf.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    r = run_cli("analyze", pdf, ptc.article("1"), "-f", "jsonl", *LEX)
    assert r.returncode == 1
    assert [json.loads(line)["source"] for line in r.stdout.splitlines()] == [str(ptc.article("1"))]
    assert "E061: a PDF file, not text" in r.stderr and "pdftotext" in r.stderr
    assert f"({pdf})" in r.stderr
    r = run_cli("analyze", *LEX, input=b"%PDF-1.4\n")
    assert r.returncode == 1 and "E061" in r.stderr and "(<stdin>)" in r.stderr


def test_encoding_applies_to_an_html_file(run_cli, tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    body = "<p>Les idées reçues: they are evil thugs, and the council knows it well.</p>"
    head = '<head><meta charset="koi8-r"></head>'  # wrong: --encoding overrides it
    page.write_bytes(f"<html>{head}<body><h1>Titre</h1>{body}</body></html>".encode("cp1252"))
    r = run_cli("analyze", page, "-f", "json", *LEX)
    assert "Les idИes reГues" in json.loads(r.stdout)["text"]  # the page's own charset
    r = run_cli("analyze", page, "-f", "json", *LEX, "--encoding", "cp1252")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert "Les idées reçues" in d["text"]
    assert [s["text"] for s in d["spans"]] == ["evil", "thugs"]
    _check_offsets(d, d["text"])
