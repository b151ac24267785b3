"""Built-in baselines that need no trained weights.

* ``builtin:lexicon``: a small hand-written lexicon of charged words and phrases per technique.
  It is the default until a trained detector is shipped, and is named as a baseline.
* ``builtin:lines``: every non-empty line is one span labelled ``Loaded_Language``; its TC
  prediction is always ``Loaded_Language``. It reproduces the reference baselines of PTC dev.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from types import MappingProxyType

from propscope.decode.sentences import overlap_scores
from propscope.model import DocScores
from propscope.segment.windows import LINE
from propscope.types import ModelInfo, Span

_LEXICON: dict[str, tuple[str, ...]] = {
    "Loaded_Language": (
        "outrageous",
        "disgusting",
        "shameful",
        "disgraceful",
        "horrific",
        "horrifying",
        "evil",
        "vile",
        "despicable",
        "sick",
        "insane",
        "crazy",
        "ridiculous",
        "absurd",
        "pathetic",
        "disastrous",
        "catastrophic",
        "appalling",
        "brutal",
        "savage",
        "slaughter",
        "massacre",
        "devastating",
        "scandalous",
        "hysterical",
        "hysteria",
        "radical",
        "extremist",
        "destroy",
        "destroyed",
        "destroying",
        "attack",
        "attacks",
        "war on",
        "witch hunt",
        "witch-hunt",
        "draconian",
        "reckless",
        "corrupt",
        "corruption",
        "lies",
        "lie",
        "lying",
        "hoax",
        "fake",
        "propaganda",
        "sinister",
        "nefarious",
        "treacherous",
        "betrayal",
        "betrayed",
        "heroic",
        "glorious",
        "tyranny",
        "tyrannical",
        "terrifying",
        "shocking",
        "stunning",
        "bombshell",
        "explosive",
        "chaos",
        "chaotic",
    ),
    "Name_Calling,Labeling": (
        "traitor",
        "traitors",
        "thug",
        "thugs",
        "idiot",
        "idiots",
        "moron",
        "morons",
        "liar",
        "liars",
        "criminal",
        "criminals",
        "terrorist",
        "terrorists",
        "fascist",
        "fascists",
        "communist",
        "communists",
        "socialist",
        "socialists",
        "globalist",
        "globalists",
        "elite",
        "elites",
        "snowflake",
        "snowflakes",
        "puppet",
        "crook",
        "crooks",
        "deep state",
        "fake news",
        "mainstream media",
        "leftist",
        "leftists",
        "right-wing",
        "left-wing",
        "far-right",
        "far-left",
        "jihadist",
        "jihadists",
        "radicals",
        "extremists",
        "lunatic",
        "lunatics",
        "bigot",
        "bigots",
        "racist",
        "racists",
    ),
    "Flag-Waving": (
        "our country",
        "our nation",
        "patriot",
        "patriots",
        "patriotic",
        "american people",
        "great nation",
        "our flag",
        "our troops",
        "national security",
        "our values",
        "our way of life",
        "make america great",
    ),
    "Doubt": (
        "so-called",
        "allegedly",
        "supposedly",
        "questionable",
        "dubious",
        "suspicious",
        "can we trust",
        "is it any wonder",
    ),
    "Exaggeration,Minimisation": (
        "never before",
        "the worst",
        "the best",
        "the greatest",
        "of all time",
        "unprecedented",
        "biggest",
        "totally",
        "completely",
        "absolutely",
        "only a few",
        "mere",
    ),
    "Appeal_to_fear-prejudice": (
        "threat to",
        "danger",
        "dangerous",
        "invasion",
        "invaders",
        "flood of",
        "will destroy",
        "under attack",
        "at risk",
        "terror",
    ),
    "Appeal_to_Authority": (
        "experts say",
        "experts agree",
        "scientists say",
        "according to experts",
        "studies show",
        "the pope",
        "top officials",
    ),
    "Black-and-White_Fallacy": (
        "either you",
        "you are either",
        "with us or against us",
        "only option",
    ),
    "Causal_Oversimplification": ("because of", "is to blame", "the reason why", "caused by"),
    "Slogans": (
        "build the wall",
        "lock her up",
        "drain the swamp",
        "america first",
        "black lives matter",
    ),
    "Thought-terminating_Cliches": (
        "it is what it is",
        "that's just the way",
        "enough said",
        "period.",
    ),
    "Bandwagon,Reductio_ad_hitlerum": (
        "everyone knows",
        "everybody knows",
        "hitler",
        "nazi",
        "nazis",
    ),
    "Whataboutism,Straw_Men,Red_Herring": ("what about", "but what about", "where was the outrage"),
}


def _compile(words: Sequence[str]) -> re.Pattern[str]:
    alts = sorted((re.escape(w) for w in words), key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(alts) + r")(?!\w)", re.IGNORECASE)


_PATTERNS: dict[str, re.Pattern[str]] = {t: _compile(ws) for t, ws in _LEXICON.items()}


class _Baseline:
    """What the baselines share: spans only, sentence scores 1.0 where a span overlaps, no
    check-worthiness head."""

    is_baseline = True
    claim_threshold: float | None = None
    operating_points: Mapping[str, float] = MappingProxyType({})  # no calibrated score

    def detect(self, text: str) -> list[Span]:
        raise NotImplementedError

    def claim_scores(self, sentences: Sequence[str]) -> list[float] | None:
        return None

    def process(
        self,
        text: str,
        sentences: Sequence[tuple[int, int]],
        *,
        min_score: float | None = None,
    ) -> DocScores:
        spans = [s for s in self.detect(text) if min_score is None or s.score >= min_score]
        return DocScores(spans, overlap_scores(spans, sentences), None)


class LexiconModel(_Baseline):
    """Marks occurrences of charged words and phrases. A baseline, not a detector."""

    info = ModelInfo("propscope-lexicon-baseline", "0.1.0")

    def detect(self, text: str) -> list[Span]:
        spans: list[Span] = []
        for tech, pat in _PATTERNS.items():
            for m in pat.finditer(text):
                spans.append(Span(m.start(), m.end(), tech, 0.5))
        return sorted(set(spans))

    def classify(self, text: str, spans: Sequence[tuple[int, int]]) -> list[tuple[str, float]]:
        out: list[tuple[str, float]] = []
        for s, e in spans:
            frag = text[s:e]
            best = "Loaded_Language"
            for tech, pat in _PATTERNS.items():
                if pat.search(frag):
                    best = tech
                    break
            out.append((best, 0.5))
        return out


class LinesModel(_Baseline):
    """Every non-empty line is one span; every span is ``Loaded_Language``."""

    info = ModelInfo("propscope-lines-baseline", "0.1.0")

    def detect(self, text: str) -> list[Span]:
        """Lines end at any line break (``segment.windows.LINE_BREAKS``), as for the detector."""
        spans: list[Span] = []
        for m in LINE.finditer(text):
            line = m.group()
            stripped = line.strip()
            if stripped:
                start = m.start() + len(line) - len(line.lstrip())
                spans.append(Span(start, start + len(stripped), "Loaded_Language", 1.0))
        return spans

    def classify(self, text: str, spans: Sequence[tuple[int, int]]) -> list[tuple[str, float]]:
        return [("Loaded_Language", 1.0) for _ in spans]
