"""Windows anchored at line starts: every token scored by exactly one window, windows that
depend only on the text near them, long lines cut at sentence ends."""

from __future__ import annotations

import numpy as np

from propscope.segment.windows import Window, anchored_windows, grid_windows


def words(text: str) -> np.ndarray:
    """Character offsets of the whitespace-separated words (a stand-in for a tokenizer)."""
    out, pos = [], 0
    for w in text.split():
        s = text.index(w, pos)
        out.append((s, s + len(w)))
        pos = s + len(w)
    return np.array(out, dtype=np.int64).reshape(-1, 2)


def scored(wins: list[Window], n: int) -> list[int]:
    cover = np.zeros(n, dtype=int)
    for w in wins:
        assert w.a <= w.lo <= w.hi <= w.b
        cover[w.lo : w.hi] += 1
    return cover.tolist()


def test_a_window_per_line_with_left_context() -> None:
    text = "a b c\nd e\n\nf g h i"
    offs = words(text)  # tokens: a b c | d e | f g h i
    wins = anchored_windows(text, offs, size=10, stride=5, context=2)
    assert wins == [Window(0, 3, 0, 3), Window(1, 5, 3, 5), Window(3, 9, 5, 9)]
    assert scored(wins, len(offs)) == [1] * len(offs)
    # without context each line is alone
    assert anchored_windows(text, offs, 10, 5) == [
        Window(0, 3, 0, 3),
        Window(3, 5, 3, 5),
        Window(5, 9, 5, 9),
    ]


def test_context_never_makes_a_window_longer_than_size() -> None:
    text = "a b c d\ne f g"
    wins = anchored_windows(text, words(text), size=4, stride=2, context=3)
    assert wins[1] == Window(3, 7, 4, 7)  # only one token of context fits


def test_windows_of_later_lines_do_not_depend_on_what_comes_before() -> None:
    body = "one two three\nfour five six seven\neight nine"
    for prefix in ("", "Note. ", "Updated.\n", "x y z w v u t s r q p o n m\n"):
        text = prefix + body
        offs = words(text)
        wins = anchored_windows(text, offs, size=6, stride=3, context=1)
        # the window of "four ... seven", as character ranges: the same for every prefix
        line2 = text.index("four")
        w = next(w for w in wins if offs[w.lo, 0] == line2)
        got = (text[offs[w.a, 0] : offs[w.b - 1, 1]], text[offs[w.lo, 0] : offs[w.hi - 1, 1]])
        assert got == ("three\nfour five six seven", "four five six seven")


def test_a_long_line_is_cut_at_sentence_ends_then_by_a_grid() -> None:
    text = "A b. C d e. F g h i j k l m n o."
    offs = words(text)  # 15 tokens; sentences of 2, 3 and 10 tokens
    wins = anchored_windows(text, offs, size=6, stride=4)
    # the first two sentences packed into one window; the third longer than 6: a grid
    assert wins[0] == Window(0, 5, 0, 5)
    assert [(w.a, w.b) for w in wins[1:]] == [(5, 11), (9, 15)]
    assert scored(wins, len(offs)) == [1] * len(offs)
    # the grid part keeps each token from its most central window: (6 - 4) // 2 = 1 token
    assert [(w.lo, w.hi) for w in wins[1:]] == [(5, 10), (10, 15)]


def test_sentence_end_after_a_closing_quote() -> None:
    text = 'He said "stop." Then left now.'
    wins = anchored_windows(text, words(text), size=4, stride=2)
    assert (wins[0].a, wins[0].b) == (0, 3)  # He said "stop."


def test_grid_windows_match_the_sliding_grid() -> None:
    assert grid_windows(10, 6, 4) == [Window(0, 6, 0, 5), Window(4, 10, 5, 10)]
    assert grid_windows(3, 6, 4) == [Window(0, 3, 0, 3)]
    assert anchored_windows("", np.zeros((0, 2), dtype=np.int64), 6, 4) == []


def test_sentences_pack_up_to_exactly_size_and_from_any_start() -> None:
    text = "A b. C d. E. F. G h i j k."
    offs = words(text)  # sentences [0,2) [2,4) [4,5) [5,6) [6,11); one line of 11 > 4
    wins = anchored_windows(text, offs, size=4, stride=2)
    # (0,2)+(2,4) fill a window exactly; (4,5)+(5,6) pack from token 4; (6,11) needs a grid
    assert [(w.a, w.b) for w in wins] == [(0, 4), (4, 6), (6, 10), (8, 11)]
    assert [(w.lo, w.hi) for w in wins] == [(0, 4), (4, 6), (6, 9), (9, 11)]


def test_a_line_break_after_the_first_token_starts_a_line() -> None:
    text = "A\nb c"
    assert anchored_windows(text, words(text), 10, 5) == [Window(0, 1, 0, 1), Window(1, 3, 1, 3)]


def test_a_lone_opening_quote_is_not_read_as_a_sentence_end() -> None:
    text = '" aa bb cc.'  # the first token is a quote alone; the last ends a sentence
    wins = anchored_windows(text, words(text), size=2, stride=1)
    assert [(w.a, w.b) for w in wins] == [(0, 2), (1, 3), (2, 4)]  # one sentence: a grid


def test_wordpiece_quote_tokens_after_a_sentence_end() -> None:
    """With the real tokenizer '"' is a token of its own: the sentence ends after it."""
    from pathlib import Path

    from propscope.infer.tokenize import TextTokenizer

    tok = TextTokenizer(Path(__file__).resolve().parents[1] / "fixtures/tiny-model/tokenizer.json")
    text = 'He said "stop." Then he left.'
    _ids, offs = tok.encode(text)  # He said " stop . " | Then he left .
    assert anchored_windows(text, offs, 6, 4) == [Window(0, 6, 0, 6), Window(6, 10, 6, 10)]
