"""Name swapping and its offset maps (issue 6): lengths, case, possessives, overlapping names,
precedence, round trips, augmented documents and the pairs file."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from propscope.audit.swap import (
    DEFAULT_PAIRS,
    Pair,
    load_pairs,
    map_back,
    map_forward,
    swap_text,
)
from propscope.corpus.ptc import Document, GoldSpan
from propscope.errors import PropscopeError
from propscope.training.augment import augment_document

PAIRS = [
    Pair("us", "Democrats", "Republicans"),
    Pair("us", "Democrat", "Republican"),
    Pair("us", "Democratic", "GOP"),
    Pair("me", "Israel", "Palestine"),
    Pair("me", "Israeli", "Palestinian"),
    Pair("ru", "Putin", "Zelensky"),
    Pair("fr", "Le Pen", "Macron"),
    Pair("ideo", "left-wing", "right-wing"),
    Pair("ideo", "liberals", "conservatives"),
]


def _check_replacements(text: str) -> None:
    sw = swap_text(text, PAIRS)
    pos = 0
    rebuilt = []
    for r in sw.replacements:
        assert sw.original[r.orig_start : r.orig_end] == r.old
        assert sw.text[r.new_start : r.new_end] == r.new
        rebuilt += [text[pos : r.orig_start], r.new]
        pos = r.orig_end
    rebuilt.append(text[pos:])
    assert "".join(rebuilt) == sw.text  # nothing outside the names changed


# -- swapping --------------------------------------------------------------------------------


def test_names_of_different_lengths_swap_in_both_directions_in_one_pass() -> None:
    sw = swap_text("Putin met Le Pen; Macron met Zelensky.", PAIRS)
    assert sw.text == "Zelensky met Macron; Le Pen met Putin."
    assert [(r.old, r.new, r.group) for r in sw.replacements] == [
        ("Putin", "Zelensky", "ru"),
        ("Le Pen", "Macron", "fr"),
        ("Macron", "Le Pen", "fr"),
        ("Zelensky", "Putin", "ru"),
    ]
    # orig_start, orig_end, new_start, new_end
    assert [(r.orig_start, r.orig_end, r.new_start, r.new_end) for r in sw.replacements] == [
        (0, 5, 0, 8),
        (10, 16, 13, 19),
        (18, 24, 21, 27),
        (29, 37, 32, 37),
    ]
    assert sw.groups() == ["ru", "fr"]
    _check_replacements(sw.original)


def test_overlapping_names_each_match_as_a_whole_word() -> None:
    sw = swap_text("Democratic Democrats Democrat; Israel Israeli Israelis", PAIRS)
    assert sw.text == "GOP Republicans Republican; Palestine Palestinian Israelis"
    back = swap_text(sw.text, PAIRS)
    assert back.text == "Democratic Democrats Democrat; Israel Israeli Israelis"


def test_names_inside_longer_words_are_left_alone() -> None:
    text = "Putinism, Israelite, undemocratic, LePen, Democrats2020"
    assert not swap_text(text, PAIRS).changed


def test_possessives_keep_their_ending() -> None:
    sw = swap_text("Putin's plan, the Democrats' plan, Israel’s plan", PAIRS)
    assert sw.text == "Zelensky's plan, the Republicans' plan, Palestine’s plan"


@pytest.mark.parametrize(
    ("text", "swapped"),
    [
        ("Democrats", "Republicans"),
        ("DEMOCRATS", "REPUBLICANS"),
        ("democrats", "democrats"),  # a proper noun's lowercase twin is another word
        ("democratic process", "democratic process"),
        ("Democratic Party", "GOP Party"),
        ("LE PEN", "MACRON"),
        ("MACRON", "LE PEN"),
        ("liberals", "conservatives"),
        ("Liberals", "Conservatives"),
        ("LIBERALS", "CONSERVATIVES"),
        ("left-wing", "right-wing"),
        ("Left-wing", "Right-wing"),
        ("Left-Wing", "Right-Wing"),
        ("LEFT-WING", "RIGHT-WING"),
    ],
)
def test_the_occurrence_case_pattern_is_reapplied(text: str, swapped: str) -> None:
    assert swap_text(text, PAIRS).text == swapped


def test_names_spelled_in_lowercase_match_in_any_case() -> None:
    pairs = [Pair("us", "democrats", "republicans")]
    sw = swap_text("DEMOCRATS, democrats, Democrats; republicans", pairs)
    assert sw.text == "REPUBLICANS, republicans, Republicans; democrats"


def test_multi_word_names_match_across_spaces_but_not_line_breaks() -> None:
    assert swap_text("Le  Pen", PAIRS).text == "Macron"
    assert not swap_text("Le\nPen", PAIRS).changed


def test_a_name_in_two_pairs_takes_the_partner_present_in_the_text() -> None:
    pairs = [
        Pair("religion", "Christians", "Muslims"),
        Pair("south-asia", "Hindus", "Muslims"),
    ]
    # no partner in the text: the first pair that lists the name
    assert swap_text("Muslims pray.", pairs).text == "Christians pray."
    sw = swap_text("Hindus and Muslims", pairs)
    assert sw.text == "Muslims and Hindus"
    assert sw.groups() == ["south-asia"]
    # both partners present: the first pair in file order whose partner occurs
    sw = swap_text("Christians, Hindus and Muslims", pairs)
    assert sw.text == "Muslims, Muslims and Christians"
    assert [r.group for r in sw.replacements] == ["religion", "south-asia", "religion"]


def test_nothing_to_swap() -> None:
    sw = swap_text("A text about the weather.", PAIRS)
    assert not sw.changed
    assert sw.text == sw.original
    assert map_back(sw, 2, 6) == (2, 6)


# -- offset maps -----------------------------------------------------------------------------

TEXT = "Putin said Le Pen is evil. Le Pen said Putin is worse."
#       0    5    10   15   20   25   30   35   40   45   50
SWAPPED = "Zelensky said Macron is evil. Macron said Zelensky is worse."


def test_positions_outside_names_shift_by_the_length_differences() -> None:
    sw = swap_text(TEXT, PAIRS)
    assert sw.text == SWAPPED
    evil = TEXT.index("evil")
    fwd = map_forward(sw, evil, evil + 4)
    assert sw.text[fwd[0] : fwd[1]] == "evil"
    assert map_back(sw, *fwd) == (evil, evil + 4)
    worse = TEXT.index("worse")
    fwd = map_forward(sw, worse, worse + 5)
    assert sw.text[fwd[0] : fwd[1]] == "worse"
    assert map_back(sw, *fwd) == (worse, worse + 5)


def test_a_span_covering_names_maps_to_the_original_names() -> None:
    sw = swap_text(TEXT, PAIRS)
    start = sw.text.index("Macron said Zelensky")
    end = start + len("Macron said Zelensky")
    s, e = map_back(sw, start, end)
    assert TEXT[s:e] == "Le Pen said Putin"
    assert map_back(sw, 0, len(sw.text)) == (0, len(TEXT))


def test_a_boundary_inside_a_name_snaps_to_the_original_names_edge() -> None:
    sw = swap_text(TEXT, PAIRS)
    zel = sw.text.index("Zelensky")  # 0..8, the original Putin is 0..5
    assert map_back(sw, zel + 3, zel + 8) == (0, 5)  # "ensky" -> "Putin"
    assert map_back(sw, zel, zel + 3) == (0, 5)  # "Zel" -> "Putin"
    assert map_back(sw, zel + 2, zel + 13) == (0, len("Putin said"))  # "lensky said"
    mac = sw.text.index("Macron")
    s, e = map_back(sw, mac - 5, mac + 2)  # "said Ma" ends inside Macron
    assert TEXT[s:e] == "said Le Pen"
    s, e = map_back(sw, mac + 4, mac + 10)  # "on is " starts inside Macron
    assert TEXT[s:e] == "Le Pen is "


def test_map_forward_snaps_like_map_back() -> None:
    sw = swap_text(TEXT, PAIRS)
    lp = TEXT.index("Le Pen")
    s, e = map_forward(sw, lp + 1, lp + 4)  # "e P" inside "Le Pen"
    assert sw.text[s:e] == "Macron"


def test_out_of_range_offsets_are_rejected() -> None:
    sw = swap_text(TEXT, PAIRS)
    with pytest.raises(ValueError):
        map_back(sw, 0, len(sw.text) + 1)
    with pytest.raises(ValueError):
        map_forward(sw, 5, 4)


_TOKENS = [
    "Putin",
    "PUTIN",
    "Zelensky",
    "Le Pen",
    "Macron",
    "MACRON",
    "Democrats",
    "Democrat",
    "Democratic",
    "democratic",
    "Republicans",
    "GOP",
    "Israel",
    "Israeli",
    "Israelis",
    "Palestine",
    "left-wing",
    "Left-wing",
    "LIBERALS",
    "conservatives",
    "evil",
    "the",
    "'s",
    ",",
    " ",
    " ",
    " ",
    "\n",
    ".",
    "é",
]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_TOKENS), max_size=30), st.data())
def test_round_trips(tokens: list[str], data: st.DataObject) -> None:
    text = "".join(tokens)  # names may touch other words, which blocks them
    sw = swap_text(text, PAIRS)
    _check_replacements(text)
    # these pairs exchange names both ways, so swapping twice gives the text back
    assert swap_text(sw.text, PAIRS).text == text
    # boundaries outside the names round-trip exactly, and select the same text, swapped
    inside = {i for r in sw.replacements for i in range(r.orig_start + 1, r.orig_end)}
    cuts = [i for i in range(len(text) + 1) if i not in inside]
    start = data.draw(st.sampled_from(cuts))
    end = data.draw(st.sampled_from([c for c in cuts if c >= start]))
    fs, fe = map_forward(sw, start, end)
    assert map_back(sw, fs, fe) == (start, end)
    pieces, pos = [], start
    for r in sw.replacements:
        if start <= r.orig_start and r.orig_end <= end:
            pieces += [text[pos : r.orig_start], r.new]
            pos = r.orig_end
    pieces.append(text[pos:end])
    assert sw.text[fs:fe] == "".join(pieces)


# -- augmented documents ---------------------------------------------------------------------


def test_augment_document_maps_gold_spans_onto_the_swapped_text() -> None:
    text = "Title\n\nPutin's thugs attacked Le Pen.\nThe Democrats are evil.\n"
    spans = [
        ("Putin's thugs", "Name_Calling,Labeling"),
        ("thugs", "Loaded_Language"),
        ("attacked Le Pen", "Loaded_Language"),
        ("Democrats are evil", "Name_Calling,Labeling"),
        ("evil", "Loaded_Language"),
    ]
    gold = []
    for piece, tech in spans:
        s = text.index(piece)
        gold.append(GoldSpan(s, s + len(piece), tech))
    doc = Document("111", text, "article111.txt", gold, sorted({(g.start, g.end) for g in gold}))
    aug = augment_document(doc, PAIRS)
    assert aug is not None
    assert aug.id == "111_swap"
    assert aug.text == "Title\n\nZelensky's thugs attacked Macron.\nThe Republicans are evil.\n"
    got = [(aug.text[g.start : g.end], g.technique) for g in aug.spans]
    assert got == [
        ("Zelensky's thugs", "Name_Calling,Labeling"),
        ("thugs", "Loaded_Language"),
        ("attacked Macron", "Loaded_Language"),
        ("Republicans are evil", "Name_Calling,Labeling"),
        ("evil", "Loaded_Language"),
    ]
    assert [aug.text[s:e] for s, e in aug.si_spans] == [
        "Zelensky's thugs",
        "thugs",
        "attacked Macron",
        "Republicans are evil",
        "evil",
    ]
    assert doc.text == text and doc.spans == gold  # the original is untouched


def test_augment_document_without_names_is_none() -> None:
    doc = Document("1", "Nothing here.", "a.txt", [GoldSpan(0, 7, "Loaded_Language")], [(0, 7)])
    assert augment_document(doc, PAIRS) is None


# -- the pairs file --------------------------------------------------------------------------


def test_shipped_pairs_cover_five_regions() -> None:
    pairs = load_pairs()
    assert pairs == load_pairs(DEFAULT_PAIRS)
    regions = {p.group.split("/")[0] for p in pairs}
    assert {"us", "europe", "mideast", "southasia", "other"} <= regions
    names = {n for p in pairs for n in (p.a, p.b)}
    for name in (
        "Democrats",
        "Republican",
        "Labour",
        "Macron",
        "Israeli",
        "Palestinians",
        "Iran",
        "Sunni",
        "India",
        "Pakistani",
        "Russia",
        "Ukrainian",
        "Taiwan",
        "Armenia",
        "Kosovo",
        "Christians",
        "Muslims",
    ):
        assert name in names, name


def test_every_shipped_pair_swaps_both_ways() -> None:
    pairs = load_pairs()
    for p in pairs:
        sw = swap_text(f"{p.a} and {p.b}.", pairs)
        assert sw.text == f"{p.b} and {p.a}.", (p, sw.text)
        assert {r.group for r in sw.replacements} == {p.group}


def _write(tmp_path: Path, content: str) -> Path:
    path = tmp_path / "pairs.tsv"
    path.write_text(content, encoding="utf-8")
    return path


def test_user_pairs_file(tmp_path: Path) -> None:
    path = _write(tmp_path, "# my pairs\n\nsports\tRed Sox\tYankees\r\n  # indented comment\n")
    assert load_pairs(path) == [Pair("sports", "Red Sox", "Yankees", 3)]


@pytest.mark.parametrize(
    ("content", "line", "fragment"),
    [
        ("g\tA\tB\ng\tC\n", 2, "expected 3"),
        ("g\tA\tB\tD\n", 1, "expected 3"),
        ("g\tA\t\n", 1, "expected 3"),
        ("g A B\n", 1, "expected 3"),
        ("g\tA\tB\ng\tB\tA\n", 2, "already listed on line 1"),
        ("g\tAbc\tabc\n", 1, "spelled"),
        ("g\tLabour\tTory\ng2\tlabour\twork\n", 2, "spelled 'Labour' on line 1"),
        ("g\tA\tA\n", 1, "paired with itself"),
        ("g\t123\tB\n", 1, "no letter"),
    ],
)
def test_malformed_pairs_files(tmp_path: Path, content: str, line: int, fragment: str) -> None:
    path = _write(tmp_path, content)
    with pytest.raises(PropscopeError) as err:
        load_pairs(path)
    assert err.value.code.value == "E010"
    assert err.value.line == line
    assert err.value.path == str(path)
    assert fragment in err.value.message


def test_empty_and_missing_pairs_files(tmp_path: Path) -> None:
    with pytest.raises(PropscopeError) as err:
        load_pairs(_write(tmp_path, "# nothing\n"))
    assert err.value.code.value == "E010"
    with pytest.raises(PropscopeError) as err:
        load_pairs(tmp_path / "missing.tsv")
    assert err.value.code.value == "E001"
