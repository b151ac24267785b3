"""``propscope eval`` on the tiny hand-built PTC folder, with scores computed by hand.

builtin:lines predicts one Loaded_Language span per non-empty line (7 spans in all):

    article1: [0,9) [11,31) [32,49)     article2: [0,10) (BOM included) [12,33)
    article3: [0,15)                     article4: [0,16)

Gold (conftest.py): article1 LL [20,24), NC+LL [25,30); article2 FW [12,23).

SI   (gold merged: 3 spans)
     P = (9/20 + 11/21) / 7        [11,31) covers 4+5 of its 20; [12,33) covers 11 of its 21
     R = (4/4 + 5/5 + 11/11) / 3 = 1
TC   4 gold labels, all predicted LL: [20,24) right, [25,30) one of two right, FW wrong -> 2/4
Full LL: p_sum = 9/20 over 7 spans, r_sum = 2 over 2 spans; NC and FW: r_sum 0 over 1 each
     P = (9/20) / 7,  R = 2/4
"""

from __future__ import annotations

import json

import pytest

SI_P = (9 / 20 + 11 / 21) / 7
SI_R = 1.0
FULL_P = (9 / 20) / 7
FULL_R = 0.5


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r)


def test_eval_json_lines_model_by_hand(run_cli, ptc) -> None:
    r = run_cli("eval", "--data", ptc.root, "--json", "--model", "builtin:lines")
    assert r.returncode == 0, r.stderr
    res = json.loads(r.stdout)
    assert res["model"] == {"name": "propscope-lines-baseline", "version": "0.1.0"}
    assert (res["articles"], res["gold_spans"], res["predicted_spans"]) == (4, 4, 7)

    assert set(res["si"]) == {"precision", "recall", "f1"}
    assert res["si"]["precision"] == pytest.approx(SI_P)
    assert res["si"]["recall"] == pytest.approx(SI_R)
    assert res["si"]["f1"] == pytest.approx(_f1(SI_P, SI_R))

    assert res["tc"] == {"micro_f1": 0.5, "correct": 2, "total": 4}

    assert set(res["full"]) == {"precision", "recall", "f1"}
    assert res["full"]["precision"] == pytest.approx(FULL_P)
    assert res["full"]["recall"] == pytest.approx(FULL_R)
    assert res["full"]["f1"] == pytest.approx(_f1(FULL_P, FULL_R))

    per = res["per_technique"]
    assert len(per) == 14
    ll = per["Loaded_Language"]
    # TC pairs: (LL,LL) (LL,LL) (NC,LL) (FW,LL): LL precision 2/4, recall 2/2
    assert ll["support"] == 2
    assert ll["tc_precision"] == pytest.approx(0.5)
    assert ll["tc_recall"] == pytest.approx(1.0)
    assert ll["tc_f1"] == pytest.approx(2 / 3)
    assert ll["full_precision"] == pytest.approx(FULL_P)
    assert ll["full_recall"] == pytest.approx(1.0)
    for label in ("Name_Calling,Labeling", "Flag-Waving"):
        assert per[label]["support"] == 1
        assert per[label]["tc_f1"] == 0.0
        assert per[label]["full_recall"] == 0.0
    assert per["Doubt"] == {
        "support": 0,
        "tc_precision": 0.0,
        "tc_recall": 0.0,
        "tc_f1": 0.0,
        "full_precision": 0.0,
        "full_recall": 0.0,
        "full_f1": 0.0,
    }


def test_eval_json_lexicon_model(run_cli, ptc) -> None:
    # lexicon spans: 1: LL [20,24), NC [25,30); 2: FW [12,23)  -> every span is gold
    # TC: [20,24) LL ok; [25,30) gold {NC, LL}: "thugs" -> NC, twice -> 1 of 2; FW ok -> 3/4
    r = run_cli("eval", "--data", ptc.root, "--json", "--model", "builtin:lexicon")
    assert r.returncode == 0, r.stderr
    res = json.loads(r.stdout)
    assert res["si"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert res["tc"] == {"micro_f1": 0.75, "correct": 3, "total": 4}
    # full: LL 1 span right of 2 gold; NC 1 of 1; FW 1 of 1 -> P = 3/3, R = 3/4
    assert res["full"]["precision"] == pytest.approx(1.0)
    assert res["full"]["recall"] == pytest.approx(0.75)


def test_eval_table_output(run_cli, ptc) -> None:
    r = run_cli("eval", "--data", ptc.root, "--model", "builtin:lines")
    assert r.returncode == 0, r.stderr
    assert "on PTC dev: 4 articles, 4 gold spans, 7 predicted spans" in r.stdout
    assert f"{SI_P:.4f}" in r.stdout
    assert "0.5000" in r.stdout  # TC micro-F1
    assert "Whataboutism,Straw_Men,Red_Herring" in r.stdout


def test_eval_reads_data_from_the_environment(run_cli, ptc) -> None:
    r = run_cli(
        "eval",
        "--json",
        "--model",
        "builtin:lines",
        extra_env={"PROPSCOPE_PTC_DATA": str(ptc.root)},
    )
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["tc"]["total"] == 4


def test_eval_without_data_is_e030(run_cli) -> None:
    r = run_cli("eval", "--json", "--model", "builtin:lines")
    assert r.returncode == 1
    assert "E030: no PTC folder given" in r.stderr
    assert "PROPSCOPE_PTC_DATA" in r.stderr


def test_eval_on_a_missing_folder_is_e001(run_cli, tmp_path) -> None:
    r = run_cli("eval", "--data", tmp_path / "nope", "--model", "builtin:lines")
    assert r.returncode == 1
    assert f"E001: directory not found ({tmp_path / 'nope'})" in r.stderr


def test_eval_on_a_missing_split_is_e001(run_cli, ptc) -> None:
    r = run_cli("eval", "--data", ptc.root, "--split", "train", "--model", "builtin:lines")
    assert r.returncode == 1
    assert f"E001: directory not found ({ptc.root / 'train-articles'})" in r.stderr


def test_eval_malformed_label_line_is_e010_with_file_and_line(run_cli, ptc) -> None:
    path = ptc.root / "dev-labels-task-flc-tc" / "article2.task-flc-tc.labels"
    path.write_text("2\tFlag-Waving\t12\t23\n2 Flag-Waving 12 23\n", encoding="utf-8")
    r = run_cli("eval", "--data", ptc.root, "--json", "--model", "builtin:lines")
    assert r.returncode == 1
    assert r.stdout == ""
    assert "E010: expected 4 tab-separated fields" in r.stderr
    assert f"({path}, line 2)" in r.stderr


def test_eval_label_outside_article_is_e011(run_cli, ptc) -> None:
    path = ptc.root / "dev-labels-task-si" / "article3.task-si.labels"
    path.write_text("3\t10\t99\n", encoding="utf-8")
    r = run_cli("eval", "--data", ptc.root, "--json", "--model", "builtin:lines")
    assert r.returncode == 1
    assert "E011: span 10..99 is outside article 3 (length 16)" in r.stderr
    assert f"({path}, line 1)" in r.stderr


def test_eval_invalid_utf8_article_is_e004(run_cli, ptc) -> None:
    ptc.article("3").write_bytes(b"Nothing \xc3( to see.\n")
    r = run_cli("eval", "--data", ptc.root, "--json", "--model", "builtin:lines")
    assert r.returncode == 1
    assert "E004: invalid UTF-8" in r.stderr
    assert f"({ptc.article('3')}, line 1, byte 8)" in r.stderr
