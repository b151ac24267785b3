"""Who said it: attribution phrases found by rules, shared by facts and quotes.

Three shapes are found, each with the speaker's offsets:

* speaker first: ``Mark Dalton said``, ``the minister has claimed``, ``Smith, 45, told reporters``,
  ``a spokesman for the ministry said``, ``he said``;
* verb first (after a comma or a closing quotation mark): ``..., said Mark Dalton``;
* ``according to the Associated Press``.

The speaker is a run of capitalised words, a short noun phrase that starts with a determiner
(``the minister``, ``a spokesperson``), a possessive (``Trump's lawyer``), a plural speaker
noun with up to two modifiers (``officials``, ``police``, ``security forces``, ``senior
administration officials``, ``top Republicans``), a subject pronoun (``he``, ``she``,
``they``), or two of these joined by ``and`` (``the president and top Republicans``). A
capitalised determiner (``The``, ``A``) starts a noun phrase, never a name on its own.

Which verbs report speech:

* ``say``/``said``/``says``, ``told``/``tells`` and verbs that hardly mean anything else
  (``insisted``, ``argued``, ``testified``, ``warned``, ``denied``, ``announced``, ...) always
  do.
* Verbs that often do not (:data:`NEEDS_STATEMENT`: ``declared``, ``maintained``,
  ``responded``, ``added``, ``noted``, ``wrote``, ``reported``, ``charged``, ...) count only
  where a statement follows: ``that``, a colon, a comma or a quotation mark, the end of the
  sentence, a subject pronoun (``admitted he lied``), or a short adjunct and then ``that``, a
  colon or a quotation mark (``wrote on Twitter that``); or where the phrase is a reporting
  tag after a quotation or a clause (``"...," he wrote in a letter.``). So ``the media have
  declared that the race is over`` is an attribution (a statement is attributed to the
  media), ``the media have declared war on Trump`` is not (declaring war is an act), nor is
  ``he has maintained a stately mien``.
* A few verbs take a clause without ``that`` often enough (:data:`LOOSE_VERBS`: ``claimed``,
  ``suggested``, ``predicted``, ``alleged``, ``admitted``, ``acknowledged``, ``asked``): they
  count unless an object follows that cannot start a clause: a determiner, a number, an
  object pronoun, a preposition, or ``war``, ``victory``, ``responsibility``, ``lives``, ...
  (``the storm claimed 12 lives``).
* ``-ing`` forms (``saying``) never end a speaker-first phrase: the noun before a participle
  is rarely its speaker (``Gates's guilty plea saying``).
* A plural speaker noun takes no ``-s`` verb: ``foreign media reports that ...`` is a noun
  phrase, not a speaker and a verb.

A speaker may carry an apposition (``Smith, 45,``, ``Smith, a spokesman for the ministry,``,
``Smith, who heads the committee,``); a subject pronoun ends a noun phrase, so ``After the vote
she told reporters`` has the speaker ``she``.

In the inverted order (``..., said Smith``) the speaker must be one noun phrase (no object
pronoun, no inner determiner except after a preposition) that ends the clause: punctuation, the
end of the text or a preposition or conjunction follows it (``..., said Rubio on Fox News``;
not ``..., said the mayor's service gave him an edge``).
These are rules, not a parser: a long speaker without a determiner is missed.
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
# verbs that report speech only where a statement follows them (see the module docstring)
_NEEDS_STATEMENT_TEXT = (
    "stated states declared declares maintained maintains responded added adds noted notes "
    "explained explains wrote writes tweeted tweets reported reports confirmed confirms "
    "stressed stresses emphasised emphasized revealed recalled concluded shouted yelled "
    "boasted boasts charged complained complains claimed claims suggested suggests predicted "
    "predicts alleged alleges admitted admits acknowledged acknowledges asked asks"
)
NEEDS_STATEMENT = frozenset(_NEEDS_STATEMENT_TEXT.split())
# ... of which these also take a clause without "that" ("claimed crime fell")
_LOOSE_VERBS_TEXT = (
    "claimed claims suggested suggests predicted predicts alleged alleges admitted admits "
    "acknowledged acknowledges asked asks"
)
LOOSE_VERBS = frozenset(_LOOSE_VERBS_TEXT.split())

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
    r"Not|No|Yes|Please|Thus|Hence|Moreover|Furthermore|Nevertheless|Nonetheless|Perhaps|"
    r"The|A|An|His|Her|Their|Its|Our|My|Your|Some|Many|Most|Other|Another|Both|Each|Every|"
    r"All|Any)"
)
_PROPER = rf"(?!{_NOT_NAME}\b){_CAP}(?:\s+(?:{_CONNECT}\s+)*{_CAP}){{0,5}}"
_WORD = r"[\w’'-]+"
# words that end a noun phrase (prepositions of time, conjunctions, relatives, other verbs)
_STOP = (
    r"(?:on|at|during|last|this|yesterday|today|tonight|after|before|when|while|as|in|that|"
    r"which|who|whom|whose|and|but|or|if|because|is|was|were|are|be|been|has|have|had|will|"
    r"would|also|later|then|he|she|they|we|you|He|She|They|We|I|" + _VERB[3:-1] + r")"
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
    r"polls|surveys|data|documents|records|leaders|ministers|agencies|groups|people|forces|"
    r"troops|soldiers|agents|staff|aides|advisers|advisors|medics|paramedics|firefighters|"
    r"rescuers|workers|employees|teachers|students|parents|voters|members|senators|"
    r"representatives|democrats|republicans|conservatives|liberals|progressives|insiders|"
    r"allies|lawyers|attorneys|judges|scholars|historians|media|journalists|reporters|"
    r"regulators|executives|campaigners|academics|commentators|pollsters|strategists|"
    r"physicians|nurses)"
)
# a modifier of a plural speaker noun: no function word ("although officials said")
_MODIFIER = (
    rf"(?!{_NOT_NAME}\b|(?i:although|though|because|since|unless|whereas|whether|where|so|"
    r"than|not|never|only|just|even|still|yet|nor|for|from|with|to|of|by|about|into|over|"
    r"under|against|between|among|through|without|within|it|he|she|they|we|you|i|me|him|"
    rf"them|us|what|how|why)\b){_NPWORD}"
)
_BARE_NP = rf"(?:(?:{_PROPER}|{_MODIFIER})\s+){{0,2}}{_BARE}"
_PRON = r"(?:[Hh]e|[Ss]he|[Tt]hey|[Ww]e|I|[Ii]t)"
_SPEAKER = rf"(?:{_NP}|{_POSS}|{_PROPER}|{_BARE_NP}|{_PRON})"
# a first speaker joined by "and" ("the president and top Republicans"), looked for only
# before a speaker found: tried at every position of the search, it slows the search down
_COORDINATED = re.compile(rf"(?<![\w’'.-])(?P<sp>{_NP}|{_PROPER}|{_BARE_NP}|{_PRON})\s+and\s+\Z")
_ADVERB = (
    r"(?:also|later|then|previously|repeatedly|recently|has|have|had|would|will|once|"
    r"reportedly|publicly|allegedly|falsely|further|again|earlier|simply|flatly|often|"
    r"frequently|privately|openly|long|never|always|subsequently|initially|first)"
)
_APPOS = rf",\s+(?:{_NP}|\d{{1,3}}|{_PROPER}|who\s+[^,;:\"“”]{{1,80}}),"

# speaker first; the match must end at the verb (searched with endpos = verb end)
_SPEAKER_FIRST = re.compile(
    rf"(?<![\w’'.-])(?P<sp>{_SPEAKER})(?:{_APPOS})?\s+(?:{_ADVERB}\s+){{0,2}}{_VERB}\Z"
)
# inverted order ("..., said Smith"); not "telling X", whose X is the listener
_VERB_INVERTED = (
    r"(?:" + "|".join(v for v in SPEECH_VERBS if not v.endswith("ing") and v not in _TOLD) + r")"
)
# the inverted speaker ends its clause: punctuation, the end, or a preposition or conjunction
_CLAUSE_END = (
    r"(?=\s*(?:[.,;:!?)(\"“”’'—–…\[\]]|\Z)|\s+(?:on|at|in|during|last|this|yesterday|today|"
    r"tonight|after|before|when|while|as|who|whose|and|but|according|to|of)\b)"
)
# after the verb the speaker may be longer ("said one Republican with close ties to the
# campaign"): it must end the clause
_NP_LONG = rf"{_DET}\s+(?:{_NPWORD}\s+){{0,7}}{_NPWORD}"
_VERB_FIRST = re.compile(
    rf"{_VERB_INVERTED}\s+(?P<sp>{_PROPER}|{_NP_LONG}|(?:he|she|they|I|we))(?![\w’'-])"
    rf"{_CLAUSE_END}"
)
# what may follow a verb of NEEDS_STATEMENT: a statement ...
_STATEMENT_NEXT = re.compile(
    r"""\s*(?:[,:;.!?…"“”'‘’—–]|\Z)|\s+(?:that|how|why|whether|if|he|she|they|it|we|I|you|"""
    r"""there)\b"""
)
# ... or a short adjunct and then one
_ADJUNCT_THEN_STATEMENT = re.compile(
    r"""\s+(?i:in|on|at|to|during|via|through|after|before|late|early|last|this|earlier|"""
    r"""later|yesterday|today|again|also|publicly|privately|repeatedly|recently|then|"""
    r"""flatly|quickly|for)\b[^.,;:"“”!?]{0,60}?(?:\bthat\b|:|["“”])"""
)
# words after a loose verb that start an object, not a clause
_OBJECT_NEXT = re.compile(
    r"\s+(?:a|an|the|his|her|their|its|our|my|your|this|these|those|some|no|any|all|every|"
    r"each|both|many|much|several|one|two|three|four|five|six|seven|eight|nine|ten|\d[\d,.]*|"
    r"him|them|me|us|to|at|about|on|in|into|for|with|by|from|over|against|as|up|out|off|"
    r"down|back|war|victory|bankruptcy|independence|responsibility|credit|lives|ownership|"
    r"power|control|office|support)\b",
    re.IGNORECASE,
)
# a reporting tag: after a comma or a quotation, and the sentence ends after the verb and a
# short adjunct ('"...," he wrote in a letter.')
_TAG_BEFORE = re.compile(r"""[,"”’'—–:]\s*\Z""")
_TAG_AFTER = re.compile(r"""(?:\s+[^.,;:!?"“”]{0,60}?)?\s*(?:[.!?…]|,?\s*["“]|\Z)""")
_BARE_LAST = re.compile(rf"(?<![\w’'-]){_BARE}\Z")
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
_DETERMINERS = frozenset({"the", "a", "an", "his", "her", "their", "its", "our", "my", "your"})
_OBJECT_PRONOUNS = frozenset({"him", "them", "me", "us", "it", "you", "her"})
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


def speaker_first_at(
    text: str, verb_start: int, verb_end: int, lo: int, hi: int | None = None
) -> Attribution | None:
    """``<speaker> [adverbs] <verb>`` ending exactly at ``verb_end``, not starting before
    ``lo``; ``hi`` (default: the end of the text) bounds the look at what follows the verb.
    For ``told``, the object (``told reporters``) is added to the phrase."""
    verb = text[verb_start:verb_end]
    if verb.endswith("ing"):
        return None  # "Gates's guilty plea saying ...": a participle's noun is no speaker
    m = _SPEAKER_FIRST.search(text, max(lo, verb_start - LOOKBACK), verb_end)
    if m is None:
        return None
    if verb in NEEDS_STATEMENT and not _states(text, lo, m.start("sp"), verb, verb_end, hi):
        return None
    if verb.endswith("s") and _BARE_LAST.search(text, m.start("sp"), m.end("sp")):
        return None  # "foreign media reports that ...": a plural takes no -s verb
    end = verb_end
    if verb in _TOLD:
        obj = _TOLD_OBJECT.match(text, verb_end, verb_end + 80)
        if obj:
            end = trim_final_dot(text, verb_end, obj.end())
    sp_start = _restart_at_inner_article(text, m.start("sp"), m.end("sp"))
    sp_end = trim_final_dot(text, sp_start, m.end("sp"))
    if (c := _COORDINATED.search(text, max(lo, sp_start - 80), sp_start)) is not None:
        sp_start = c.start("sp")
    return Attribution(sp_start, end, sp_start, sp_end, "speaker_first")


def _states(text: str, lo: int, sp_start: int, verb: str, verb_end: int, hi: int | None) -> bool:
    """Whether a verb of :data:`NEEDS_STATEMENT` reports a statement here (module docstring)."""
    hi = len(text) if hi is None else hi
    if _TAG_BEFORE.search(text, max(lo, sp_start - 4), sp_start) and _TAG_AFTER.match(
        text, verb_end, hi
    ):
        return True  # a reporting tag: "...," he wrote in a letter.
    if _STATEMENT_NEXT.match(text, verb_end, hi) or _ADJUNCT_THEN_STATEMENT.match(
        text, verb_end, hi
    ):
        return True
    return verb in LOOSE_VERBS and _OBJECT_NEXT.match(text, verb_end, hi) is None


def _plain_speaker(text: str, start: int, end: int) -> bool:
    """Whether an inverted speaker is one noun phrase: no object pronoun in it and no inner
    determiner except after a preposition (``one Republican with close ties to the campaign``,
    not ``the mayor's service gave him an edge``)."""
    words = [w.group().lower() for w in _WORD_RE.finditer(text, start, end)]
    for prev, word in itertools.pairwise(words):
        if word in _OBJECT_PRONOUNS or (word in _DETERMINERS and prev not in _PREPOSITIONS):
            return False
    return True


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
    if m is None or not _plain_speaker(text, m.start("sp"), m.end("sp")):
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
        att = speaker_first_at(text, v.start(), v.end(), start, end)
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
