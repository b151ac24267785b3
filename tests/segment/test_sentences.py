from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from propscope.segment import sentences as sentences_module
from propscope.segment.sentences import MAX_SENTENCE_CHARS, split_sentences

BLANK = "\ufeff\u200b\u2060"


def check(text: str) -> list[str]:
    """The sentences of ``text``, after checking every offset invariant."""
    spans = split_sentences(text)
    covered = [False] * len(text)
    prev_end = 0
    for a, b in spans:
        assert 0 <= a < b <= len(text)
        assert a >= prev_end, "sentences are in order and do not overlap"
        piece = text[a:b]
        assert piece.strip() == piece
        assert piece.strip(BLANK) == piece
        assert b - a <= MAX_SENTENCE_CHARS
        covered[a:b] = [True] * (b - a)
        prev_end = b
    for i, ch in enumerate(text):
        assert covered[i] or ch.isspace() or ch in BLANK, f"char {i} {ch!r} lost"
    return [text[a:b] for a, b in spans]


def test_news_sentences_with_abbreviations() -> None:
    text = "Mr. Smith went to Washington. He arrived on Jan. 5. The U.S. economy grew 3.5% in 2019."
    assert check(text) == [
        "Mr. Smith went to Washington.",
        "He arrived on Jan. 5.",
        "The U.S. economy grew 3.5% in 2019.",
    ]


def test_quotes_stay_with_their_sentence() -> None:
    text = 'He said "I won\'t go!" Then he left. "Never," she said.'
    assert check(text) == ['He said "I won\'t go!"', "Then he left.", '"Never," she said.']


def test_one_sentence_per_line_even_without_punctuation() -> None:
    text = "Title of the article\n\nFirst line here\nSecond line here.\n"
    assert check(text) == ["Title of the article", "First line here", "Second line here."]


def test_lists_and_tables_split_on_newlines() -> None:
    text = "Name\tAge\tCity\nAlice\t30\tParis\nBob\t25\tRome\n- item one\n- item two\n"
    assert check(text) == [
        "Name\tAge\tCity",
        "Alice\t30\tParis",
        "Bob\t25\tRome",
        "- item one",
        "- item two",
    ]


def test_crlf_and_other_line_breaks() -> None:
    text = "First line.\r\nSecond line.\r\n\r\nThird\u2028Fourth\rFifth"
    assert check(text) == ["First line.", "Second line.", "Third", "Fourth", "Fifth"]


def test_bom_is_not_part_of_a_sentence() -> None:
    text = "\ufeffHello world. Bye now."
    spans = split_sentences(text)
    assert spans[0] == (1, 13)
    assert check(text) == ["Hello world.", "Bye now."]


def test_emoji_and_rtl_text() -> None:
    text = "I love it 😀😀. Great 👍🏽 stuff!\nمرحبا بك. العالم جميل.\nשלום עולם. מה שלומך?"
    sents = check(text)
    assert sents[:2] == ["I love it 😀😀.", "Great 👍🏽 stuff!"]
    assert "مرحبا بك." in sents
    assert len(sents) >= 5


def test_no_letters() -> None:
    text = "12345 67890 --- +++ ### 3.14 !!!\n....\n$$$ %%% ***"
    assert check(text) == ["12345 67890 --- +++ ### 3.14 !!!", "....", "$$$ %%% ***"]


def test_punctuation_only_piece_joins_the_previous_sentence() -> None:
    assert check("Hello... !!! World.") == ["Hello... !!!", "World."]


def test_empty_and_blank() -> None:
    assert split_sentences("") == []
    assert split_sentences("   \n\t\r\n  \ufeff ") == []


def test_long_line_without_punctuation_is_cut_at_spaces() -> None:
    text = " ".join(f"word{i % 97}" for i in range(7_000))  # ~50,000 characters, one line
    assert len(text) >= 45_000
    t0 = time.perf_counter()
    sents = check(text)
    assert time.perf_counter() - t0 < 5.0
    assert len(sents) >= len(text) // MAX_SENTENCE_CHARS
    # cut at spaces: no word is split
    for s in sents:
        assert all(w.startswith("word") and w[4:].isdigit() for w in s.split())


def test_long_token_without_spaces_is_cut_hard() -> None:
    text = "x" * 5_000
    sents = check(text)
    assert [len(s) for s in sents] == [1000] * 5


def test_hard_cut_does_not_split_a_combining_mark() -> None:
    text = ("e\u0301" * 600) + " end."
    for s in check(text):
        assert s[0] != "\u0301"


@pytest.mark.parametrize(
    "text",
    [
        "1. " * 7_000,  # pysbd's cost grows faster than linearly on these
        "Wow! " * 4_000,
        "Mr. " * 5_000,
        "." * 20_000,
        '"' * 20_000,
        "(" * 20_000,
        "a\n" * 10_000,
        "😀" * 20_000,
        "\x00\x01\x02 \ud800 \ufffd " * 2_000,
    ],
)
def test_pathological_inputs_are_bounded(text: str) -> None:
    t0 = time.perf_counter()
    check(text)
    assert time.perf_counter() - t0 < 10.0


def test_falls_back_to_rules_when_pysbd_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(text: str, start: int, end: int) -> list[int]:
        raise RuntimeError("boom")

    monkeypatch.setattr(sentences_module, "_pysbd_boundaries", broken)
    assert check("The cat sat. The dog ran! Did it? Yes.") == [
        "The cat sat.",
        "The dog ran!",
        "Did it?",
        "Yes.",
    ]


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab .!?\n\r\t\"'”“\ufeffMr.1,😀")), max_size=300))
def test_offsets_cover_every_non_blank_character(text: str) -> None:
    check(text)
