"""``propscope ptc-predict``: the official SI and TC submission formats."""

from __future__ import annotations

from pathlib import Path

from propscope.corpus.ptc import read_label_file
from propscope.scoring import tc_score

TEMPLATE = "1\t?\t20\t24\n1\t?\t25\t30\n1\t?\t25\t30\n\n2\t?\t12\t23\n"


def _template(tmp_path: Path, content: str = TEMPLATE) -> Path:
    path = tmp_path / "template.out"
    path.write_text(content, encoding="utf-8")
    return path


def _predict(run_cli, articles: Path, task: str, out: Path, *extra, model: str = "builtin:lines"):
    """Run ``propscope ptc-predict`` with the usual options and any ``extra`` ones."""
    return run_cli(
        "ptc-predict",
        "--articles",
        articles,
        "--task",
        task,
        "--out",
        out,
        "--model",
        model,
        *extra,
    )


def test_si_with_lines_model(run_cli, ptc, tmp_path: Path) -> None:
    out = tmp_path / "si.txt"
    r = _predict(run_cli, ptc.root / "dev-articles", "si", out)
    assert r.returncode == 0, r.stderr
    assert r.stdout == ""
    assert f"wrote 7 lines to {out}" in r.stderr
    assert out.read_text(encoding="utf-8") == (
        "1\t0\t9\n1\t11\t31\n1\t32\t49\n2\t0\t10\n2\t12\t33\n3\t0\t15\n4\t0\t16\n"
    )
    rows = list(read_label_file(out, with_technique=False))
    assert [row[1:] for row in rows][:2] == [("1", None, 0, 9), ("1", None, 11, 31)]


def test_si_merges_overlapping_predictions(run_cli, tmp_path: Path) -> None:
    arts = tmp_path / "arts"
    arts.mkdir()
    # lexicon: "fake" (Loaded_Language) [8,12) inside "fake news" (Name_Calling) [8,17)
    (arts / "article5.txt").write_text("This is fake news.\n", encoding="utf-8")
    out = tmp_path / "si.txt"
    r = _predict(run_cli, arts, "si", out, model="builtin:lexicon")
    assert r.returncode == 0, r.stderr
    assert out.read_text(encoding="utf-8") == "5\t8\t17\n"


def test_tc_with_template(run_cli, ptc, tmp_path: Path) -> None:
    out = tmp_path / "tc.txt"
    r = _predict(
        run_cli,
        ptc.root / "dev-articles",
        "tc",
        out,
        "--template",
        _template(tmp_path),
        model="builtin:lexicon",
    )
    assert r.returncode == 0, r.stderr
    assert f"wrote 4 lines to {out}" in r.stderr
    # one line per template line, in template order
    assert out.read_text(encoding="utf-8") == (
        "1\tLoaded_Language\t20\t24\n"
        "1\tName_Calling,Labeling\t25\t30\n"
        "1\tName_Calling,Labeling\t25\t30\n"
        "2\tFlag-Waving\t12\t23\n"
    )
    # and it scores against the gold: "thugs" has gold {NC, LL}, predicted {NC, NC}
    pred: dict[str, list[tuple[int, int, str]]] = {}
    for _n, aid, tech, s, e in read_label_file(out, with_technique=True):
        pred.setdefault(aid, []).append((s, e, tech or ""))
    gold: dict[str, list[tuple[int, int, str]]] = {}
    for aid, tech, s, e, _text in ptc.tc_gold:
        gold.setdefault(aid, []).append((s, e, tech))
    res = tc_score(pred, gold)
    assert (res.correct, res.total) == (3, 4)


def test_tc_without_template_is_a_coded_error(run_cli, ptc, tmp_path: Path) -> None:
    out = tmp_path / "tc.txt"
    r = _predict(run_cli, ptc.root / "dev-articles", "tc", out)
    assert r.returncode == 1
    assert "E030: --task tc needs --template FILE" in r.stderr
    assert not out.exists()


def test_tc_template_naming_an_unknown_article_is_e013(run_cli, ptc, tmp_path: Path) -> None:
    tpl = _template(tmp_path, "1\t?\t20\t24\n77\t?\t0\t3\n")
    r = _predict(run_cli, ptc.root / "dev-articles", "tc", tmp_path / "tc.txt", "--template", tpl)
    assert r.returncode == 1
    assert "E013: template names article 77" in r.stderr
    assert not (tmp_path / "tc.txt").exists()


def test_tc_template_span_outside_article_is_e011(run_cli, ptc, tmp_path: Path) -> None:
    tpl = _template(tmp_path, "3\t?\t0\t17\n")  # article3 has 16 characters
    r = _predict(run_cli, ptc.root / "dev-articles", "tc", tmp_path / "tc.txt", "--template", tpl)
    assert r.returncode == 1
    assert "E011: span 0..17 is outside article 3" in r.stderr


def test_tc_malformed_template_is_e010(run_cli, ptc, tmp_path: Path) -> None:
    tpl = _template(tmp_path, "1\t?\t20\t24\n1\t?\t25\tthirty\n")
    r = _predict(run_cli, ptc.root / "dev-articles", "tc", tmp_path / "tc.txt", "--template", tpl)
    assert r.returncode == 1
    assert "E010: start and end must be integers" in r.stderr
    assert f"({tpl}, line 2)" in r.stderr


def test_missing_articles_folder_is_e001(run_cli, tmp_path: Path) -> None:
    r = _predict(run_cli, tmp_path / "nope", "si", tmp_path / "si.txt")
    assert r.returncode == 1
    assert f"E001: directory not found ({tmp_path / 'nope'})" in r.stderr


def test_out_path_that_is_a_directory_is_e002(run_cli, ptc, tmp_path: Path) -> None:
    r = _predict(run_cli, ptc.root / "dev-articles", "si", tmp_path)
    assert r.returncode == 1
    assert f"E002: output path is a directory ({tmp_path})" in r.stderr


def test_unknown_task_is_a_usage_error(run_cli, ptc, tmp_path: Path) -> None:
    r = _predict(run_cli, ptc.root / "dev-articles", "full", tmp_path / "x.txt")
    assert r.returncode == 2
    assert "full" in r.stderr
