"""A cheap check that a text is English, for the W002 warning (not a language identifier).

Three signals, in order:

1. script: when at least half of the letters are not Latin (Cyrillic, Arabic, CJK, ...), the
   text is not English;
2. too little evidence: fewer than :data:`MIN_WORDS` words is taken as English;
3. function words: the share of word tokens that are common English function words is
   compared with the share that are common function words of German, Spanish, French,
   Italian, Portuguese and Dutch; English wins ties, and a text of :data:`LONG_TEXT_WORDS` or
   more words needs at least :data:`MIN_ENGLISH_SHARE` English function words.
"""

from __future__ import annotations

import re
import unicodedata

MIN_WORDS = 5
MIN_LETTERS = 20
MIN_LATIN_SHARE = 0.5
LONG_TEXT_WORDS = 20
MIN_ENGLISH_SHARE = 0.08
MAX_CHARS = 20_000  # only the start of a long text is looked at

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def _words(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


ENGLISH = _words(
    """the a an and or but if of to in on at by for with from into about as than then that this
    these those there here is are was were be been being has have had do does did will would
    shall should can could may might must not no it its he she they we you i his her their our
    your my me him them us who whom whose which what when where why how all any some more most
    also only just so very too up out over after before because while said says against
    between during under such been other another each both same own new s don't it's"""
)
OTHERS: dict[str, frozenset[str]] = {
    "de": _words(
        """der die das und ist nicht ein eine einen einem einer den dem des mit auf für von zu im
        sich auch es ich sie wir ihr er wird werden wurde sind war hat haben bei aus nach wie
        oder aber noch nur schon über dass durch vor zum zur um"""
    ),
    "es": _words(
        """el la los las y es un una unos unas del al de que en por para con se su sus lo le les
        pero como más o muy fue ha han son está están ser sin sobre entre también hay ya este
        esta"""
    ),
    "fr": _words(
        """le la les et est un une des du de que qui en dans pour par avec ne pas se sur au aux
        ce cette ces il elle ils nous vous son sa ses leur mais ou été sont était avait très
        plus comme"""
    ),
    "it": _words(
        """il lo la gli le e è un una di del della dei delle che in per con non si su al alla
        come più ma sono stato anche questo questa"""
    ),
    "pt": _words(
        """o os a as e é um uma de do da dos das que em no na nos nas por para com não se seu sua
        mais como mas foi são está também"""
    ),
    "nl": _words(
        """de het een en is van in op te dat die niet met zijn voor ook er aan om maar als bij
        wordt werd naar dan nog wel"""
    ),
}
# a word that is a function word in English as well tells nothing
OTHERS = {lang: words - ENGLISH for lang, words in OTHERS.items()}


def _is_latin(ch: str) -> bool:
    if ch.isascii():
        return True
    try:
        return unicodedata.name(ch).startswith("LATIN")
    except ValueError:
        return False


def looks_english(text: str) -> bool:
    """True when ``text`` looks English (or is too short to tell); False for non-Latin scripts
    and for Latin-script text dominated by another language's function words."""
    text = text[:MAX_CHARS]
    letters = [ch for ch in text if ch.isalpha()]
    if len(letters) >= MIN_LETTERS:
        latin = sum(1 for ch in letters if _is_latin(ch))
        if latin / len(letters) < MIN_LATIN_SHARE:
            return False
    words = [w.lower().replace("’", "'") for w in _WORD.findall(text)]
    if len(words) < MIN_WORDS:
        return True
    english = sum(1 for w in words if w in ENGLISH) / len(words)
    other = max(sum(1 for w in words if w in vocab) / len(words) for vocab in OTHERS.values())
    if len(words) >= LONG_TEXT_WORDS and english < MIN_ENGLISH_SHARE:
        return False
    return english >= other
