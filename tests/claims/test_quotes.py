from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from propscope.claims.quotes import Quote, QuoteIndex, find_quotes, quote_of


def show(text: str) -> list[tuple[str, str, str | None]]:
    """(kind, quoted text, speaker text) for each quote found in ``text``."""
    out = []
    for q in find_quotes(text):
        assert 0 <= q.start < q.end <= len(text)
        speaker = None
        if q.speaker_start is not None and q.speaker_end is not None:
            assert 0 <= q.speaker_start < q.speaker_end <= len(text)
            speaker = text[q.speaker_start : q.speaker_end]
        out.append((q.kind, text[q.start : q.end], speaker))
    return out


@pytest.mark.parametrize(
    ("text", "quote", "speaker"),
    [
        ('"We will win," Smith said.', "We will win", "Smith"),
        ('"We will win," said the minister.', "We will win", "the minister"),
        ('Smith said: "We will win."', "We will win.", "Smith"),
        ('Smith told reporters: "We don\'t lose."', "We don't lose.", "Smith"),
        ("“We will win,” he said.", "We will win", "he"),
        ('According to Smith, "we will win."', "we will win.", "Smith"),
        ("Le ministre a dit « nous gagnerons » hier.", "nous gagnerons", None),
        ("„Wir schaffen das“, sagte sie.", "Wir schaffen das", None),
    ],
)
def test_quotation_marks_and_speakers(text: str, quote: str, speaker: str | None) -> None:
    assert show(text) == [("quoted", quote, speaker)]


def test_one_speaker_around_a_split_quotation() -> None:
    text = "“We will win,” Mark Dalton said, “and they won’t stop us.”"
    assert show(text) == [
        ("quoted", "We will win", "Mark Dalton"),
        ("quoted", "and they won’t stop us.", "Mark Dalton"),
    ]


def test_apostrophes_inside_quotes_do_not_end_them() -> None:
    text = "\"I don't know and we can't say,\" she said. 'It's Smith's job,' he added."
    assert show(text) == [
        ("quoted", "I don't know and we can't say", "she"),
        ("quoted", "It's Smith's job", "he"),
    ]


def test_single_curly_quotes_only_where_clearly_quotes() -> None:
    assert show("He called it ‘a disaster’ and left.") == [("quoted", "a disaster", None)]
    assert show("The ’90s were great, and rock 'n' roll don't die.") == []
    assert show("The players’ union met. The Smiths’ house burned.") == []


def test_straight_single_quotes_need_a_closing_mark() -> None:
    assert show("The players' union said 'we will strike' today.") == [
        ("quoted", "we will strike", "The players' union")
    ]
    assert show("She said 'maybe and then left.") == []


def test_inches_are_not_quotes() -> None:
    assert show('He bought a 12" pizza and a 6\'2" ladder.') == []


def test_unbalanced_quote_stops_at_the_end_of_its_paragraph() -> None:
    text = 'She said "this never ends\nNext paragraph is here. "Second" quote.\nThird line.'
    assert show(text) == [
        ("quoted", "this never ends", "She"),
        ("quoted", "Second", None),
    ]
    text = '"Unclosed quote runs on\n\nand on, but not here.'
    assert show(text) == [("quoted", "Unclosed quote runs on", None)]


def test_multi_paragraph_quotation() -> None:
    text = "“First paragraph of the speech.\n“Second paragraph,” she said."
    assert show(text) == [
        ("quoted", "First paragraph of the speech.", None),
        ("quoted", "Second paragraph", "she"),
    ]


@pytest.mark.parametrize(
    ("text", "clause", "speaker"),
    [
        (
            "Smith said that the economy grew by 3% last year.",
            "the economy grew by 3% last year",
            "Smith",
        ),
        ("Smith said the economy grew.", "the economy grew", "Smith"),
        ("Smith told reporters on Tuesday that it was over.", "it was over", "Smith"),
        ("The minister claimed crime fell sharply.", "crime fell sharply", "The minister"),
        ("The economy grew by 3%, officials said.", "The economy grew by 3%", "officials"),
        ("The economy grew by 3%, said Mark Dalton.", "The economy grew by 3%", "Mark Dalton"),
        (
            "According to police, 40 people died in the blast.",
            "40 people died in the blast",
            "police",
        ),
        (
            "40 people died in the blast, according to the Associated Press.",
            "40 people died in the blast",
            "the Associated Press",
        ),
    ],
)
def test_reported_speech(text: str, clause: str, speaker: str) -> None:
    assert show(text) == [("reported", clause, speaker)]


def test_reported_speech_is_not_doubled_by_a_quotation() -> None:
    assert show('Smith said: "We will win."') == [("quoted", "We will win.", "Smith")]
    assert show("He said no.") == []


def test_offsets_in_a_longer_text() -> None:
    text = 'Intro line.\n\n"Taxes will rise," the minister said on Monday.\nOutro.'
    [q] = find_quotes(text)
    assert text[q.start : q.end] == "Taxes will rise"
    assert (q.speaker_start, q.speaker_end) == (text.index("the minister"), text.index(" said"))


def test_quote_of_finds_the_quote_holding_most_of_a_span() -> None:
    text = '"We will raise taxes on the rich," Smith said. Prices rose.'
    quotes = find_quotes(text)
    taxes = text.index("raise taxes")
    q = quote_of(quotes, taxes, taxes + len("raise taxes"))
    assert q is not None and text[q.start : q.end] == "We will raise taxes on the rich"
    prices = text.index("Prices")
    assert quote_of(quotes, prices, prices + 6) is None
    # mostly inside: a span that sticks out a little still belongs to the quote
    rich = text.index("the rich")
    assert quote_of(quotes, rich, rich + len('the rich," Sm')) is q


def test_quote_of_prefers_the_innermost_quote() -> None:
    outer = Quote(0, 100)
    inner = Quote(10, 30, 40, 45)
    assert quote_of([outer, inner], 12, 20) is inner
    assert quote_of([], 0, 5) is None


quotes_st = st.lists(
    st.builds(
        lambda a, n, k: Quote(a, a + n, kind=k),
        st.integers(0, 80),
        st.integers(1, 40),
        st.sampled_from(["quoted", "reported"]),
    ),
    max_size=30,
)


@settings(max_examples=300, deadline=None)
@given(
    quotes_st,
    st.booleans(),
    st.lists(st.tuples(st.integers(-3, 125), st.integers(-3, 125)), max_size=30),
)
def test_quote_index_answers_as_the_scan(
    quotes: list[Quote], ordered: bool, spans: list[tuple[int, int]]
) -> None:
    """Nested, overlapping and equal quotes, in find_quotes' order or not; ties go to the
    same quote (the first of equal ones in the given order)."""
    if ordered:
        quotes.sort(key=lambda q: (q.start, q.end))
    index = QuoteIndex(quotes)
    for a, b in [*spans, (0, 130), (5, 5), (9, 4)]:
        assert index.of(a, b) is quote_of(quotes, a, b)


def test_quote_index_on_found_quotes() -> None:
    text = ('"We will raise taxes on the rich," Smith said. Prices rose, he said.\n' * 200) * 2
    quotes = find_quotes(text)
    index = QuoteIndex(quotes)
    assert len(index) == len(quotes) > 400
    for a in range(0, len(text) - 30, 37):
        for n in (1, 5, 12, 30):
            assert index.of(a, a + n) is quote_of(quotes, a, a + n)


def test_no_crash_on_odd_text() -> None:
    for text in ["", '"', "'", "“", "”", '""', "''", "«»", '"\n"\n', '\ufeff"x"', '😀"😀"😀']:
        for q in find_quotes(text):
            assert 0 <= q.start < q.end <= len(text)


PIECES = [*"ab S.,:\n\"'“”‘’«»„", " said ", "Smith", " told reporters", "according to "]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=60).map("".join))
def test_offsets_are_valid_for_any_text(text: str) -> None:
    quotes = find_quotes(text)
    for q in quotes:
        assert 0 <= q.start < q.end <= len(text)
        assert text[q.start : q.end].strip() == text[q.start : q.end]
        assert "\n" not in text[q.start : q.end], "a quotation never crosses a paragraph"
        if q.speaker_start is not None:
            assert q.speaker_end is not None and 0 <= q.speaker_start < q.speaker_end <= len(text)
        assert quote_of(quotes, q.start, q.end) is not None


# --- straight quotes paired by structure, not by order ------------------------------------


def test_a_stray_inch_mark_does_not_flip_the_pairs_after_it() -> None:
    text = 'He is 5\'11" tall and said "we will win" on Monday. "It is over," she added.'
    assert show(text) == [
        ("quoted", "we will win", None),
        ("quoted", "It is over", "she"),
    ]


def test_an_inch_mark_inside_a_quotation_does_not_close_it() -> None:
    text = '"He is 5\'11" tall," she said. "We will win," he added.'
    assert show(text) == [
        ("quoted", "He is 5'11\" tall", "she"),
        ("quoted", "We will win", "he"),
    ]


def test_feet_and_inches_before_punctuation_are_no_quote_mark() -> None:
    text = '"He stood 6\'2", taller than all," she said.'
    assert show(text) == [("quoted", "He stood 6'2\", taller than all", "she")]


def test_a_mark_between_letters_neither_opens_nor_closes() -> None:
    assert show('"Don"t do it," she said.') == [("quoted", 'Don"t do it', "she")]


def test_a_mark_after_sentence_punctuation_closes() -> None:
    text = 'He said "no."Then he left "early" today.'
    assert [q for _, q, _ in show(text)] == ["no.", "early"]


def test_an_unclosed_quote_does_not_swallow_a_later_quotation() -> None:
    text = 'She called it "a disaster and left. Later Smith said "we will win" to the crowd.'
    assert show(text) == [
        ("quoted", "a disaster and left. Later Smith said", None),
        ("quoted", "we will win", "Smith"),
    ]


def test_stray_marks_between_quotations_are_ignored() -> None:
    # a mark with a space on both sides can neither open nor close
    assert show('a " b " c "real quote" d.') == [("quoted", "real quote", None)]
    # a closing mark with nothing open is ignored; the pair after it stands
    assert show('The sign read 42" and then "fine" again.') == [("quoted", "fine", None)]
    # a mark right after sentence punctuation closes, so with nothing open it is stray
    text = 'The sign said no."Then he "left" today.'
    assert [q for k, q, _ in show(text) if k == "quoted"] == ["left"]


@pytest.mark.parametrize(
    ("text", "quotes"),
    [
        ('He said:"hello" and left.', ["hello"]),
        ('("Quoted") and "another".', ["Quoted", "another"]),
        ('The "so-called" plan and the "new" one.', ["so-called", "new"]),
        ('It was "great"! And "fine"?', ["great", "fine"]),
    ],
)
def test_straight_quotes_open_and_close_by_their_surroundings(text: str, quotes: list[str]) -> None:
    assert [q for _, q, _ in show(text)] == quotes


def test_unclosed_curly_and_single_quotes_do_not_shift_later_pairs() -> None:
    text = "“Unclosed curly and then “a real one,” she said."
    assert show(text) == [
        ("quoted", "Unclosed curly and then", None),
        ("quoted", "a real one", "she"),
    ]
    assert show("She said 'maybe and then 'yes' loudly.") == [("quoted", "yes", "She")]


def test_a_straight_quotation_never_crosses_a_paragraph_break() -> None:
    text = 'He said "one thing\nand two" more. "Three," she said.'
    assert show(text) == [
        ("quoted", "one thing", "He"),
        ("quoted", "Three", "she"),
    ]


def test_given_sentences_give_the_same_quotes() -> None:
    """The pipeline passes its sentences so that paragraphs are not split twice."""
    from propscope.segment.sentences import split_sentences

    for text in (
        'Officials said the plan failed. "It is over," she said.\n\nHe told reporters it works.',
        "According to the report, 40 died. Police said 3 were hurt.\r\nThe mayor said no.",
        "No quotes here.\n\n\nAt all.",
        "",
    ):
        assert find_quotes(text, split_sentences(text)) == find_quotes(text)
    # the sentences decide what is read as reported speech: none given, none found
    text = "Police said 3 were hurt."
    assert find_quotes(text) and not find_quotes(text, [])
