"""Attribution phrases found by rules (no spaCy needed)."""

from __future__ import annotations

import pytest

from propscope.claims._speech import find_attributions


def found(text: str) -> list[tuple[str, str, str]]:
    return [
        (text[a.start : a.end], text[a.speaker_start : a.speaker_end], a.shape)
        for a in find_attributions(text)
    ]


@pytest.mark.parametrize(
    ("text", "phrase", "speaker", "shape"),
    [
        (
            "Mark Dalton said the plan would fail.",
            "Mark Dalton said",
            "Mark Dalton",
            "speaker_first",
        ),
        ("The plan will fail, said Mark Dalton.", "said Mark Dalton", "Mark Dalton", "verb_first"),
        (
            "The plan failed, according to the Associated Press.",
            "according to the Associated Press",
            "the Associated Press",
            "according",
        ),
        (
            "According to U.S. officials, the plan failed.",
            "According to U.S. officials",
            "U.S. officials",
            "according",
        ),
        (
            "Smith told reporters on Tuesday it was over.",
            "Smith told reporters",
            "Smith",
            "speaker_first",
        ),
        (
            "The minister has repeatedly claimed that crime fell.",
            "The minister has repeatedly claimed",
            "The minister",
            "speaker_first",
        ),
        (
            "A spokesman for the ministry said the talks were over.",
            "A spokesman for the ministry said",
            "A spokesman for the ministry",
            "speaker_first",
        ),
        (
            "Smith, a spokesman for the ministry, said the talks were over.",
            "Smith, a spokesman for the ministry, said",
            "Smith",
            "speaker_first",
        ),
        ("Smith, 45, said the talks were over.", "Smith, 45, said", "Smith", "speaker_first"),
        ("But Smith said no.", "Smith said", "Smith", "speaker_first"),
        (
            "Trump's lawyer Rudy Giuliani said it was fine.",
            "Trump's lawyer Rudy Giuliani said",
            "Trump's lawyer Rudy Giuliani",
            "speaker_first",
        ),
        (
            "In a statement the minister said it was fine.",
            "the minister said",
            "the minister",
            "speaker_first",
        ),
        ("Acme Corp. said profits rose.", "Acme Corp. said", "Acme Corp.", "speaker_first"),
        ("The results, he claimed, were rigged.", "he claimed", "he", "speaker_first"),
        (
            "Russian officials said nothing.",
            "Russian officials said",
            "Russian officials",
            "speaker_first",
        ),
    ],
)
def test_attribution_shapes(text: str, phrase: str, speaker: str, shape: str) -> None:
    assert found(text) == [(phrase, speaker, shape)]


@pytest.mark.parametrize(
    "text",
    [
        "It is said that he is rich.",
        "He was told to leave.",
        "She hinted at it on Twitter, telling Ellison that it was over.",
        "Prices rose by 3% in March.",
    ],
)
def test_no_attribution(text: str) -> None:
    assert found(text) == []


def test_bounds_are_respected() -> None:
    text = "Smith said yes. Jones said no."
    assert found(text) == [
        ("Smith said", "Smith", "speaker_first"),
        ("Jones said", "Jones", "speaker_first"),
    ]
    only_second = find_attributions(text, 16, len(text))
    assert [(a.start, a.end) for a in only_second] == [(16, 26)]
