"""``eval`` and ``audit`` tables never cut a number: rendered in 80 or 60 columns (a narrow
terminal, or piped, where Rich assumes 80), every number they print appears in full, and no
cell is cut with an ellipsis. Also: ``eval`` on a split without gold labels is E060."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from propscope.cli.audit_cmd import print_audit, print_shift
from propscope.cli.eval_cmd import print_scores
from propscope.cli.tables import NumberTable
from propscope.techniques import LABELS

NUMBER = re.compile(r"\d[\d.,%]*")
PART = re.compile(r"\(\d+/\d+\)")  # a split table's title: "Per technique (1/2)"


def render(fn: Any, *args: Any, width: int) -> str:
    out = io.StringIO()
    console = Console(file=out, width=width, highlight=False, color_system=None)
    fn(console, *args)
    return out.getvalue()


def assert_in_full(output: str, numbers: list[str], width: int) -> None:
    """Every expected number is a whole token of the output, every numeric token of the
    output is one of them (a cut number is a token that is not), nothing is cut with an
    ellipsis, and no line is wider than the console."""
    tokens = NUMBER.findall(PART.sub("", output))
    for n in numbers:
        assert n in tokens, f"{n} not printed in full:\n{output}"
    for t in tokens:
        assert t in numbers, f"{t!r} is not one of the numbers printed:\n{output}"
    assert "…" not in output
    assert max(len(line) for line in output.splitlines()) <= width


def eval_result() -> dict[str, Any]:
    """A result whose numbers are all different (so that a cut one cannot pass for another)."""
    per = {}
    for i, t in enumerate(LABELS):
        base = (i + 1) / 100
        per[t] = {
            "support": 10_000 + i,
            "tc_precision": base + 0.0011,
            "tc_recall": base + 0.0022,
            "tc_f1": base + 0.0033,
            "full_precision": base + 0.0044,
            "full_recall": base + 0.0055,
            "full_f1": base + 0.0066,
        }
    return {
        "model": {"name": "m", "version": "9"},
        "articles": 75,
        "gold_spans": 1063,
        "predicted_spans": 4242,
        "si": {"precision": 0.33031, "recall": 0.63172, "f1": 0.43373},
        "tc": {"micro_f1": 0.57761},
        "full": {"precision": 0.15924, "recall": 0.27015, "f1": 0.20036},
        "per_technique": per,
    }


def eval_numbers(r: dict[str, Any]) -> list[str]:
    nums = ["9", "75", "1063", "4242"]
    for k in ("si", "full"):
        nums += [f"{r[k][m]:.4f}" for m in ("precision", "recall", "f1")]
    nums.append(f"{r['tc']['micro_f1']:.4f}")
    nums.append("1")  # "SI (span identification)" has no digit; "F1" and "TC F1" do
    for v in r["per_technique"].values():
        nums.append(str(v["support"]))
        nums += [f"{x:.3f}" for k, x in v.items() if k != "support"]
    return nums


@pytest.mark.parametrize("width", [80, 60, 200])
def test_eval_tables_print_every_number_in_full(width: int) -> None:
    r = eval_result()
    out = render(print_scores, r, "dev", width=width)
    assert_in_full(out, eval_numbers(r), width)
    # every technique label is there too, whole or folded onto the next lines
    first_column = "".join(
        line.split("│")[1].strip() for line in out.splitlines() if line.startswith("│")
    )
    for label in LABELS:
        assert label in first_column


def test_eval_at_80_columns_keeps_the_technique_names_whole() -> None:
    out = render(print_scores, eval_result(), "dev", width=80)
    for label in LABELS:
        assert label in out
    assert "Per technique (1/2)" in out and "Per technique (2/2)" in out


def test_eval_wide_terminal_is_one_table() -> None:
    out = render(print_scores, eval_result(), "dev", width=200)
    assert "Per technique (1/2)" not in out
    assert re.search(r"technique\s+┃\s+gold\s+┃.*full F1", out)


def swap_result() -> dict[str, Any]:
    def group(i: int) -> dict[str, Any]:
        return {
            "texts": 100 + i,
            "names_swapped": 2000 + i,
            "spans_original": 30000 + i,
            "spans_swapped": 40000 + i,
            "span_agreement": 0.9648 - i / 1000,
            "matched": 5000 + i,
            "technique_agreement": 0.9530 - i / 1000,
        }

    groups = {f"group-with-a-long-name/{i}": group(i + 1) for i in range(3)}
    return {
        "model": {"name": "m", "version": "9"},
        "texts": 75,
        "swapped_texts": 72,
        "skipped_texts": 3,
        "overall": group(0),
        "groups": groups,
        "changes": {"technique": 11, "missing": 12, "new": 13, "boundary": 14},
        "changed_spans": [
            {
                "id": "111111111",
                "text": "an extremely long span of text " * 4,
                "change": "technique",
                "before": "Whataboutism,Straw_Men,Red_Herring",
                "after": "Name_Calling,Labeling",
                "names": ["Democrats", "Republicans"],
            }
        ],
    }


def swap_numbers(r: dict[str, Any]) -> list[str]:
    nums = ["9", "75", "72", "3", "11", "12", "13", "14", "111111111", "1"]  # "F1"
    for i, g in enumerate([r["overall"], *r["groups"].values()]):
        nums.append(str(i - 1) if i else "0")  # the group names' digits
        nums += [str(v) for k, v in g.items() if not k.endswith("agreement")]
        nums += [f"{g['span_agreement']:.4f}", f"{g['technique_agreement']:.4f}"]
    return nums


@pytest.mark.parametrize("width", [80, 60, 200])
def test_audit_swap_tables_print_every_number_in_full(width: int) -> None:
    r = swap_result()
    out = render(print_audit, r, width=width)
    assert_in_full(out, swap_numbers(r), width)


def shift_result() -> dict[str, Any]:
    edits = {}
    for i, name in enumerate(("prefix", "short_line", "long_line", "first_paragraph_removed")):
        edits[name] = {
            "texts": 70 + i,
            "spans_original": 12000 + i,
            "spans_edited": 13000 + i,
            "span_agreement": 0.9964 - i / 1000,
            "matched": 14000 + i,
            "technique_agreement": 0.9953 - i / 1000,
        }
    edits["none"] = {**edits["prefix"], "span_agreement": None, "technique_agreement": None}
    return {"model": {"name": "m", "version": "9"}, "texts": 75, "edits": edits}


@pytest.mark.parametrize("width", [80, 60, 200])
def test_audit_shift_tables_print_every_number_in_full(width: int) -> None:
    r = shift_result()
    nums = ["9", "75", "1"]
    for g in r["edits"].values():
        nums += [str(v) for k, v in g.items() if not k.endswith("agreement")]
        nums += [f"{g[k]:.4f}" for k in ("span_agreement", "technique_agreement") if g[k]]
    out = render(print_shift, r, width=width)
    assert_in_full(out, nums, width)
    assert "n/a" in out


def test_a_column_wider_than_the_console_gets_a_table_of_its_own() -> None:
    t = NumberTable("t", "label", ("a", "b"))
    t.add_row("x", "1" * 30, "2" * 30)
    assert t.groups(40) == [[0], [1]]
    out = render(t.print, width=40)
    assert "1" * 30 in out and "2" * 30 in out


def test_labels_are_text_not_markup() -> None:
    t = NumberTable("t", "group", ("n",))
    t.add_row("[bold]us/parties[/bold]", "7")
    assert "[bold]us/parties[/bold]" in render(t.print, width=80)


@pytest.mark.parametrize("columns", ["80", "60"])
def test_eval_command_in_narrow_columns(run_cli, ptc, columns: str) -> None:
    r = run_cli(
        "eval", "--data", ptc.root, "--model", "builtin:lines", extra_env={"COLUMNS": columns}
    )
    assert r.returncode == 0, r.stderr
    assert "…" not in r.stdout
    assert "0.5000" in r.stdout  # TC micro-F1 (see test_eval.py)
    assert max(len(line) for line in r.stdout.splitlines()) <= int(columns)


# --- eval on a split without gold labels: E060, not a perfect score ---------------------------


def _articles_only(root: Path, split: str = "test") -> Path:
    arts = root / f"{split}-articles"
    arts.mkdir(parents=True)
    (arts / "article1.txt").write_text("They are evil thugs.\n", encoding="utf-8")
    (arts / "article2.txt").write_text("The council met on Monday.\n", encoding="utf-8")
    return root


@pytest.mark.parametrize("as_json", [False, True])
def test_eval_on_articles_without_labels_is_e060(run_cli, tmp_path: Path, as_json: bool) -> None:
    root = _articles_only(tmp_path / "ptc")
    args = ["eval", "--data", root, "--split", "test", "--model", "builtin:lines"]
    r = run_cli(*args, *(["--json"] if as_json else []))
    assert r.returncode == 1
    assert r.stdout == ""
    assert "E060: split 'test' has no gold technique labels" in r.stderr
    assert "test-labels-task-flc-tc/" in r.stderr and "test-task-flc-tc.labels" in r.stderr
    assert "1.0000" not in r.stderr


def test_eval_with_empty_label_files_only_is_e060(run_cli, tmp_path: Path) -> None:
    root = _articles_only(tmp_path / "ptc", "dev")
    for task in ("flc-tc", "si"):
        folder = root / f"dev-labels-task-{task}"
        folder.mkdir()
        for aid in ("1", "2"):
            (folder / f"article{aid}.task-{task}.labels").write_text("", encoding="utf-8")
    r = run_cli("eval", "--data", root, "--model", "builtin:lines")
    assert r.returncode == 1
    assert "E060" in r.stderr and "dev-labels-task-flc-tc holds no label" in r.stderr


def test_eval_with_labels_still_scores(run_cli, ptc) -> None:
    # the tiny folder (conftest.py) has labels: no E060
    r = run_cli("eval", "--data", ptc.root, "--json", "--model", "builtin:lines")
    assert r.returncode == 0, r.stderr


def test_e060_comes_before_loading_the_model(run_cli, tmp_path: Path) -> None:
    # a missing model folder would be E020; the split is checked first
    root = _articles_only(tmp_path / "ptc")
    r = run_cli("eval", "--data", root, "--split", "test", "--model", tmp_path / "no-model")
    assert r.returncode == 1
    assert "E060" in r.stderr and "E020" not in r.stderr


def test_eval_on_the_shared_test_split_is_e060(run_cli) -> None:
    data = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "ptc-semeval2020"
    data = data / "datasets"
    if not (data / "test-articles").is_dir():
        pytest.skip(f"PTC data not found at {data}")
    r = run_cli("eval", "--data", data, "--split", "test", "--model", "builtin:lines")
    assert r.returncode == 1
    assert "E060" in r.stderr
