"""``propscope audit swap`` through its Typer sub-app, on small hand-made folders."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from propscope.cli.audit_cmd import app
from propscope.errors import PropscopeError

TINY_MODEL = Path(__file__).resolve().parents[1] / "fixtures" / "tiny-model"
LEX = ("--model", "builtin:lexicon")
ARTICLES = {
    "1": "Democrats are evil thugs.\nThe Republicans lied again.\n",
    "2": "Israel and Palestine: a disgraceful war.\n",
    "3": "Nothing to see here.\n",
}


def _ptc(root: Path) -> Path:
    arts = root / "dev-articles"
    arts.mkdir(parents=True)
    for aid, text in ARTICLES.items():
        (arts / f"article{aid}.txt").write_text(text, encoding="utf-8")
    return root


def _invoke(*args: str | Path) -> tuple[int, str, BaseException | None]:
    runner = CliRunner()
    res = runner.invoke(
        app, [str(a) for a in args], env={"COLUMNS": "200", "PROPSCOPE_PTC_DATA": None}
    )
    return res.exit_code, res.output, res.exception


def test_json_on_a_ptc_folder(tmp_path: Path) -> None:
    code, out, exc = _invoke("swap", "--data", _ptc(tmp_path / "ptc"), "--json", *LEX)
    assert code == 0, (out, exc)
    r = json.loads(out)
    assert r["model"]["name"] == "propscope-lexicon-baseline"
    assert (r["texts"], r["swapped_texts"], r["skipped_texts"]) == (3, 2, 1)
    assert set(r["groups"]) == {"us/parties", "mideast/israel-palestine"}
    assert r["overall"]["names_swapped"] == 4
    for g in (r["overall"], *r["groups"].values()):
        assert 0.0 <= g["span_agreement"] <= 1.0


def test_text_output(tmp_path: Path) -> None:
    code, out, exc = _invoke("swap", "--data", _ptc(tmp_path / "ptc"), *LEX)
    assert code == 0, (out, exc)
    assert "3 texts, 2 with names swapped, 1 without any name" in out
    for word in ("overall", "us/parties", "mideast/israel-palestine", "technique agr."):
        assert word in out


def test_a_plain_folder_and_a_users_pairs_file(tmp_path: Path) -> None:
    folder = tmp_path / "texts"
    folder.mkdir()
    (folder / "a.txt").write_text("The Yankees are evil. Red Sox fans agree.\n", encoding="utf-8")
    (folder / "b.txt").write_text("No teams here.\n", encoding="utf-8")
    pairs = tmp_path / "teams.tsv"
    pairs.write_text("baseball\tRed Sox\tYankees\n", encoding="utf-8")
    code, out, exc = _invoke("swap", "--data", folder, "--pairs", pairs, "--json", *LEX)
    assert code == 0, (out, exc)
    r = json.loads(out)
    assert (r["texts"], r["swapped_texts"]) == (2, 1)
    assert list(r["groups"]) == ["baseball"]
    assert r["overall"]["names_swapped"] == 2


def test_the_tiny_onnx_model(tmp_path: Path) -> None:
    root = _ptc(tmp_path / "ptc")
    code, out, exc = _invoke("swap", "--data", root, "--json", "--model", TINY_MODEL)
    assert code == 0, (out, exc)
    r = json.loads(out)
    assert (r["texts"], r["swapped_texts"]) == (3, 2)
    for c in r["changed_spans"]:
        assert ARTICLES[c["id"]][c["start"] : c["end"]] == c["text"]


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (lambda p: p / "missing", "E001"),
        (lambda p: p, "E001"),  # a folder with neither dev-articles/ nor .txt files
    ],
)
def test_bad_data_folder(tmp_path: Path, make: Callable[[Path], Path], code: str) -> None:
    (tmp_path / "notes.md").write_text("x", encoding="utf-8")
    rc, _out, exc = _invoke("swap", "--data", make(tmp_path), *LEX)
    assert rc != 0
    assert isinstance(exc, PropscopeError) and exc.code.value == code


def test_bad_pairs_file(tmp_path: Path) -> None:
    pairs = tmp_path / "bad.tsv"
    pairs.write_text("# two fields only\ngroup\tDemocrats\n", encoding="utf-8")
    rc, _out, exc = _invoke("swap", "--data", _ptc(tmp_path / "ptc"), "--pairs", pairs, *LEX)
    assert rc != 0
    assert isinstance(exc, PropscopeError)
    assert exc.render().startswith("E010: expected 3") and exc.line == 2


class _Fixed:
    """Spans fixed by text content: the word "evil" and "lied" wherever they are, and one span
    that appears only when the text starts with "Note." (a model unsettled by a prefix)."""

    from propscope.types import ModelInfo as _Info

    info = _Info("fixed", "1")

    def detect(self, text: str) -> list:  # type: ignore[type-arg]
        from propscope.types import Span

        out = []
        for word, tech in (("evil", "Loaded_Language"), ("lied", "Doubt")):
            k = text.find(word)
            if k >= 0:
                out.append(Span(k, k + len(word), tech, 0.9))
        if text.startswith("Note."):
            k = text.find("thugs")
            if k >= 0:
                out.append(Span(k, k + 5, "Name_Calling,Labeling", 0.5))
        return out


def test_shift_audit_maps_edited_spans_back() -> None:
    from propscope.audit.shift import audit_shift

    text = "Title here\n\nDemocrats are evil thugs.\nThe Republicans lied again.\n"
    r = audit_shift(_Fixed(), [("1", text)])
    assert r["schema"] == "propscope.audit.shift/1" and r["texts"] == 1
    e = r["edits"]
    # content-anchored spans agree exactly under every edit but the prefix, which adds "thugs"
    for name in ("short_line", "long_line", "drop_first"):
        assert (e[name]["span_agreement"], e[name]["technique_agreement"]) == (1.0, 1.0), name
    assert e["prefix"]["spans_original"] == 2 and e["prefix"]["spans_edited"] == 3
    # SI F1 of edited against original: P = 2/3 (the "thugs" span is new), R = 1
    assert e["prefix"]["span_agreement"] == pytest.approx(2 * (2 / 3) / (2 / 3 + 1))
    assert e["prefix"]["matched"] == 2 and e["prefix"]["technique_agreement"] == 1.0


def test_shift_cli_prints_a_table(tmp_path: Path) -> None:
    code, out, exc = _invoke("shift", "--data", _ptc(tmp_path), *LEX, "--json")
    assert code == 0, (out, exc)
    d = json.loads(out)
    assert set(d["edits"]) == {"prefix", "short_line", "long_line", "drop_first"}
    assert d["texts"] == 3
    code, out, _ = _invoke("shift", "--data", tmp_path, *LEX, "--limit", "1")
    assert code == 0 and "long_line" in out and "model propscope-lexicon-baseline" in out
