"""The 14 SemEval-2020 Task 11 techniques, spelled as in the PTC corpus."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from propscope.techniques import BY_LABEL, LABELS, TECHNIQUES, is_technique

# Written out independently of the package, from the official class list.
SEMEVAL_CLASSES = [
    "Appeal_to_Authority",
    "Appeal_to_fear-prejudice",
    "Bandwagon,Reductio_ad_hitlerum",
    "Black-and-White_Fallacy",
    "Causal_Oversimplification",
    "Doubt",
    "Exaggeration,Minimisation",
    "Flag-Waving",
    "Loaded_Language",
    "Name_Calling,Labeling",
    "Repetition",
    "Slogans",
    "Thought-terminating_Cliches",
    "Whataboutism,Straw_Men,Red_Herring",
]

NAMES_FILE = (
    Path(__file__).resolve().parents[2]
    / "shared/data/ptc-semeval2020/semeval2020-release/tools/data"
    / "propaganda-techniques-names-semeval2020task11.txt"
)


def test_labels_are_the_14_semeval_classes_in_order() -> None:
    assert list(LABELS) == SEMEVAL_CLASSES
    assert len(set(LABELS)) == 14


def test_labels_match_the_official_names_file() -> None:
    if not NAMES_FILE.exists():
        pytest.skip(f"official class list not found at {NAMES_FILE}")
    official = [
        line.strip() for line in NAMES_FILE.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    assert list(LABELS) == official


def test_by_label_and_is_technique() -> None:
    assert set(BY_LABEL) == set(LABELS)
    for t in TECHNIQUES:
        assert BY_LABEL[t.label] is t
        assert is_technique(t.label)
    assert not is_technique("?")
    assert not is_technique("loaded_language")  # spelling is exact
    assert not is_technique("Loaded Language")
    assert not is_technique("")


def test_every_technique_is_documented_with_a_distinct_colour() -> None:
    for t in TECHNIQUES:
        assert t.name.strip() and t.definition.strip() and t.example.strip(), t.label
        assert re.fullmatch(r"#[0-9a-f]{6}", t.colour), t.colour
    assert len({t.colour for t in TECHNIQUES}) == len(TECHNIQUES)
    assert len({t.name for t in TECHNIQUES}) == len(TECHNIQUES)
