"""Who said it: attribution phrases found by rules, shared by facts and quotes.

Three shapes are found, each with the speaker's offsets:

* speaker first: ``Mark Dalton said``, ``the minister has claimed``, ``Smith, 45, told reporters``,
  ``a spokesman for the ministry said``, ``he said``;
* verb first (after a comma or a closing quotation mark): ``..., said Mark Dalton``;
* ``according to the Associated Press``.

The speaker is a run of capitalised words, a short noun phrase that starts with a determiner
(``the minister``), a possessive (``Trump's lawyer``), a plural speaker noun (``officials``,
``police``) or a subject pronoun. These are rules, not a parser: a speaker that is a long or
lower-case phrase without a determiner (``security forces said``) is missed.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

_SPEECH_VERBS_TEXT = (
    "said says say saying told tells telling claimed claims claiming stated states declared "
    "declares announced announces insisted insists argued argues added adds noted notes "
    "explained explains warned warns wrote writes tweeted tweets alleged alleges "
    "asserted asserts maintained maintains suggested suggests acknowledged acknowledges "
    "admitted admits reported reports confirmed confirms denied denies stressed stresses "
    "emphasised emphasized predicted predicts testified revealed recalled replied responded "
    "concluded asked asks shouted yelled boasted boasts charged contended contends "
    "complained complains"
)
SPEECH_VERBS = tuple(_SPEECH_VERBS_TEXT.split())
_TOLD = frozenset({"told", "tells", "telling"})

_VERB = r"(?:" + "|".join(sorted(SPEECH_VERBS, key=len, reverse=True)) + r")"
# A capitalised word; inner apostrophes (O'Brien) and inner dots (U.S.) are allowed, a
# possessive 's is not (it starts a possessive speaker instead).
_CAP = r"[A-Z](?:[\w-]|['’](?=\w)(?![sS]\b)|\.(?=\w))*\.?"
_CONNECT = r"(?:of|for|the|de|da|van|von|der|den|al|bin|del|la|le|and|&)"
_NOT_NAME = (
    r"(?:But|And|Or|So|Yet|Then|Also|However|Meanwhile|Still|Now|When|While|After|Before|As|"
    r"If|In|On|At|By|For|From|With|Last|This|That|These|Those|It|He|She|They|We|I|You|There|"
    r"Here|Asked|Speaking|Earlier|Later|Instead|Indeed|Finally|Today|Yesterday|Tonight|What|"
    r"Why|How|Who|Where|Which|Although|Though|Because|Since|Until|Even|Only|Just|Never|"
    r"Not|No|Yes|Please|Thus|Hence|Moreover|Furthermore|Nevertheless|Nonetheless|Perhaps)"
)
_PROPER = rf"(?!{_NOT_NAME}\b){_CAP}(?:\s+(?:{_CONNECT}\s+)*{_CAP}){{0,5}}"
_WORD = r"[\w’'-]+"
# words that end a noun phrase (prepositions of time, conjunctions, relatives, other verbs)
_STOP = (
    r"(?:on|at|during|last|this|yesterday|today|tonight|after|before|when|while|as|in|that|"
    r"which|who|whom|whose|and|but|or|if|because|is|was|were|are|be|been|has|have|had|will|"
    r"would|also|later|then|" + _VERB[3:-1] + r")"
)
_NPWORD = rf"(?!{_STOP}\b){_WORD}"
_DET = (
    r"(?i:the|a|an|his|her|their|its|our|my|your|this|these|those|one|two|three|four|five|"
    r"several|many|some|other|another|both|each|most|few)"
)
_NP = rf"{_DET}\s+(?:{_NPWORD}\s+){{0,4}}{_NPWORD}"
_POSS = rf"{_PROPER}['’]s\s+(?:{_NPWORD}\s+){{0,2}}{_NPWORD}"
_BARE = (
    r"(?i:officials|police|experts|critics|analysts|authorities|witnesses|researchers|"
    r"scientists|protesters|protestors|residents|sources|doctors|prosecutors|investigators|"
    r"lawmakers|legislators|economists|activists|observers|supporters|opponents|diplomats|"
    r"officers|spokesmen|spokespeople|spokeswomen|organisers|organizers|reports|studies|"
    r"polls|surveys|data|documents|records|leaders|ministers|agencies|groups|people)"
)
_BARE_NP = rf"(?:(?:{_PROPER}|(?!{_NOT_NAME}\b){_NPWORD})\s+)?{_BARE}"
_PRON = r"(?:[Hh]e|[Ss]he|[Tt]hey|[Ww]e|I|[Ii]t)"
_SPEAKER = rf"(?:{_NP}|{_POSS}|{_PROPER}|{_BARE_NP}|{_PRON})"
_ADVERB = (
    r"(?:also|later|then|previously|repeatedly|recently|has|have|had|would|will|once|"
    r"reportedly|publicly|allegedly|falsely|further|again|earlier|simply|flatly|often|"
    r"frequently|privately|openly|long|never|always|subsequently|initially|first)"
)
_APPOS = rf",\s+(?:{_NP}|\d{{1,3}}|{_PROPER}),"

# speaker first; the match must end at the verb (searched with endpos = verb end)
_SPEAKER_FIRST = re.compile(
    rf"(?<![\w’'.-])(?P<sp>{_SPEAKER})(?:{_APPOS})?\s+(?:{_ADVERB}\s+){{0,2}}{_VERB}\Z"
)
# inverted order ("..., said Smith"); not "telling X", whose X is the listener
_VERB_INVERTED = (
    r"(?:" + "|".join(v for v in SPEECH_VERBS if not v.endswith("ing") and v not in _TOLD) + r")"
)
_VERB_FIRST = re.compile(
    rf"{_VERB_INVERTED}\s+(?P<sp>{_PROPER}|{_NP}|(?:he|she|they|I|we))(?![\w’'-])"
)
_TOLD_OBJECT = re.compile(
    rf"\s+(?:reporters|journalists|me|us|him|her|them|(?i:the|a|an)\s+(?:{_NPWORD}\s+){{0,2}}"
    rf"{_NPWORD}|{_PROPER})(?![\w’'-])"
)
_ACC_WORD = (
    r"(?!(?:that|who|which|whom|whose|when|while|because|but|although|though|if|it|is|was|"
    r"are|were|has|have|had|will|would|in|on|at|last|this)\b)(?:[\w’'&-]|\.(?=\w))+\.?"
)
_ACCORDING = re.compile(
    rf"(?<![\w’'-])(?i:according)\s+to\s+(?P<sp>{_ACC_WORD}(?:\s+{_ACC_WORD}){{0,7}})"
)
VERB_RE = re.compile(rf"(?<![\w’'-]){_VERB}(?![\w’'-])")
_BEFORE_INVERSION = re.compile(r"""[,"”’'—–:]\s*\Z""")
_ABBREV = re.compile(
    r"(?:\b(?:[A-Za-z]\.){2,}|\b[A-Z]\.|\b(?:Inc|Corp|Co|Ltd|Jr|Sr|Bros|Dept|Gov|Gen|Sen|"
    r"Rep|Mr|Mrs|Ms|Dr|St|Mt|Ft)\.)\Z"
)
_WORD_RE = re.compile(_WORD)
_ARTICLES = frozenset({"the", "a", "an"})
_PREPOSITIONS = frozenset({"of", "for", "by", "from", "with", "at", "to", "in", "on", "behind"})
LOOKBACK = 160


@dataclass(frozen=True)
class Attribution:
    """An attribution phrase ``[start, end)`` and its speaker ``[speaker_start, speaker_end)``.
    ``shape`` is ``"speaker_first"``, ``"verb_first"`` or ``"according"``."""

    start: int
    end: int
    speaker_start: int
    speaker_end: int
    shape: str


def trim_final_dot(text: str, start: int, end: int) -> int:
    """``end`` less a sentence-final period, kept when it ends an abbreviation (U.S., Corp.)."""
    if end > start and text[end - 1] == "." and not _ABBREV.search(text, start, end):
        return end - 1
    return end


def speaker_first_at(text: str, verb_start: int, verb_end: int, lo: int) -> Attribution | None:
    """``<speaker> [adverbs] <verb>`` ending exactly at ``verb_end``, not starting before
    ``lo``. For ``told``, the object (``told reporters``) is added to the phrase."""
    m = _SPEAKER_FIRST.search(text, max(lo, verb_start - LOOKBACK), verb_end)
    if m is None:
        return None
    end = verb_end
    if text[verb_start:verb_end] in _TOLD:
        obj = _TOLD_OBJECT.match(text, verb_end, verb_end + 80)
        if obj:
            end = trim_final_dot(text, verb_end, obj.end())
    sp_start = _restart_at_inner_article(text, m.start("sp"), m.end("sp"))
    sp_end = trim_final_dot(text, sp_start, m.end("sp"))
    return Attribution(sp_start, end, sp_start, sp_end, "speaker_first")


def _restart_at_inner_article(text: str, start: int, end: int) -> int:
    """Start of the speaker moved to an inner article that does not follow a preposition:
    ``a statement the minister`` -> ``the minister``; ``a spokesman for the ministry`` stays."""
    words = list(_WORD_RE.finditer(text, start, end))
    for prev, word in itertools.pairwise(words):
        if word.group().lower() in _ARTICLES and prev.group() not in _PREPOSITIONS:
            start = word.start()
    return start


def verb_first_at(text: str, verb_start: int, hi: int) -> Attribution | None:
    """``<verb> <speaker>`` starting exactly at ``verb_start``, not ending after ``hi``."""
    m = _VERB_FIRST.match(text, verb_start, hi)
    if m is None:
        return None
    sp_end = trim_final_dot(text, m.start("sp"), m.end("sp"))
    return Attribution(verb_start, sp_end, m.start("sp"), sp_end, "verb_first")


def find_attributions(text: str, start: int = 0, end: int | None = None) -> list[Attribution]:
    """Every attribution phrase inside ``text[start:end]``, in order of position."""
    end = len(text) if end is None else end
    found: list[Attribution] = []
    for m in _ACCORDING.finditer(text, start, end):
        sp_end = trim_final_dot(text, m.start("sp"), m.end("sp"))
        found.append(Attribution(m.start(), sp_end, m.start("sp"), sp_end, "according"))
    for v in VERB_RE.finditer(text, start, end):
        att = speaker_first_at(text, v.start(), v.end(), start)
        if att is None and _BEFORE_INVERSION.search(text, max(start, v.start() - 4), v.start()):
            att = verb_first_at(text, v.start(), end)
        if att is not None and att.end <= end:
            found.append(att)
    found.sort(key=lambda a: (a.start, -a.end))
    out: list[Attribution] = []
    for att in found:  # drop phrases that overlap an earlier, longer one
        if out and att.start < out[-1].end:
            continue
        out.append(att)
    return out
