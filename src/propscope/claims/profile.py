"""The article profile: how much persuasion an article uses, and where, for the whole text and
separately for the author's own voice and for quoted speech."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import accumulate
from typing import Any, Protocol

from propscope.types import Claim, Sentence, Span

TOP_N = 3
# a word: letters or digits, with inner apostrophes, dots, commas and hyphens
# ("don't", "U.S", "3,400", "well-known" are one word each)
_WORD = re.compile(r"\w+(?:['’.,-]\w+)*")
VOICES = ("author", "quoted")


class _Range(Protocol):
    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


def count_words(text: str) -> int:
    return sum(1 for _ in _WORD.finditer(text))


def build_profile(
    text: str,
    spans: Sequence[Span],
    sentences: Sequence[Sentence],
    claims: Sequence[Claim],
    quotes: Iterable[_Range] = (),
) -> dict[str, Any]:
    """The profile of one analysed text: the figures below for the whole text, then the same
    figures for the author's own voice (``"author"``) and for quoted speech (``"quoted"``).

    * ``words``: word tokens in ``text``;
    * ``sentences``: how many ``sentences``;
    * ``technique_counts``: spans per technique label, keys sorted;
    * ``techniques_per_1000_words``: all spans per 1,000 words, rounded to 2 decimals (0.0 for
      a text without words);
    * ``share_of_sentences_with_technique``: the share of ``sentences`` that at least one
      span overlaps, rounded to 4 decimals (0.0 without sentences);
    * ``top_techniques``: the (up to) three most used labels, most used first, ties broken by
      label;
    * ``check_worthy_claims``: how many ``claims``;
    * ``mean_sentence_score``: the mean of the sentences' scores, rounded to 4 decimals (0.0
      without sentences).

    Which voice a thing belongs to: a span or a claim by its ``quoted`` flag; a sentence is
    quoted when ``quotes`` (``claims.quotes.find_quotes``; any objects with ``start`` and
    ``end``) cover more than half of its characters; a word is quoted when it starts inside a
    quote. So the two voices' words, sentences, spans and claims add up to the whole text's.
    Within a voice, a sentence "with a technique" is one of its sentences that one of its
    spans overlaps (a quoted span inside an author's sentence counts for neither).

    Linear in the text's length: the quotes are merged once, and each sentence's quoted share
    is a difference of prefix sums found by bisection.
    """
    ranges = _merged(quotes)
    words, quoted_words = _words_starting_in(text, ranges)
    in_quote = _sentence_is_quoted(((s.start, s.end) for s in sentences), ranges)
    voice_spans: dict[bool, list[Span]] = {False: [], True: []}
    for s in spans:
        voice_spans[s.quoted].append(s)
    voice_claims = sum(1 for c in claims if c.quoted)
    out = _figures(words, spans, lambda: iter(sentences), len(claims))

    def of_voice(quoted: bool) -> Callable[[], Iterator[Sentence]]:
        # the voice's sentences, made again for each reader rather than held (memory: a
        # long text's sentences are held compactly; issue 14)
        return lambda: (x for x, q in zip(sentences, in_quote, strict=True) if q == quoted)

    out["author"] = _figures(
        words - quoted_words, voice_spans[False], of_voice(False), len(claims) - voice_claims
    )
    out["quoted"] = _figures(quoted_words, voice_spans[True], of_voice(True), voice_claims)
    return out


def _figures(
    words: int,
    spans: Sequence[Span],
    sentences: Callable[[], Iterable[Sentence]],
    n_claims: int,
) -> dict[str, Any]:
    """The figures of one voice; ``sentences()`` gives its sentences (it is read three times)."""
    counts = Counter(s.technique for s in spans)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    per_1000 = round(len(spans) * 1000 / words, 2) if words else 0.0
    with_technique = sentences_with_span(spans, ((x.start, x.end) for x in sentences()))
    n = sum(1 for _ in sentences())
    share = round(with_technique / n, 4) if n else 0.0
    mean = round(sum(float(x.score) for x in sentences()) / n, 4) if n else 0.0
    return {
        "words": words,
        "sentences": n,
        "technique_counts": dict(sorted(counts.items())),
        "techniques_per_1000_words": per_1000,
        "share_of_sentences_with_technique": share,
        "top_techniques": [label for label, _ in ranked[:TOP_N]],
        "check_worthy_claims": n_claims,
        "mean_sentence_score": mean,
    }


def quoted_sentences(sentences: Iterable[tuple[int, int]], quotes: Iterable[_Range]) -> list[bool]:
    """For each sentence [start, end), whether it belongs to quoted speech: ``quotes`` cover
    more than half of its characters (the rule ``build_profile`` uses; ``Sentence.quoted``)."""
    return _sentence_is_quoted(sentences, _merged(quotes))


def _merged(quotes: Iterable[_Range]) -> list[tuple[int, int]]:
    """The union of the quotes' ranges [start, end) as disjoint, sorted ranges (touching
    ranges merged)."""
    out: list[tuple[int, int]] = []
    for a, b in sorted((q.start, q.end) for q in quotes):
        if out and a <= out[-1][1]:
            if b > out[-1][1]:
                out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def _words_starting_in(text: str, ranges: list[tuple[int, int]]) -> tuple[int, int]:
    """How many words ``text`` has, and how many of them start inside one of ``ranges``
    (disjoint, sorted): one pass over the words with a pointer into the ranges."""
    if not ranges:
        return count_words(text), 0
    n = quoted = j = 0
    last = len(ranges)
    for m in _WORD.finditer(text):
        n += 1
        at = m.start()
        while j < last and ranges[j][1] <= at:
            j += 1
        if j < last and ranges[j][0] <= at:
            quoted += 1
    return n, quoted


def _sentence_is_quoted(
    sentences: Iterable[tuple[int, int]], ranges: list[tuple[int, int]]
) -> list[bool]:
    """For each sentence [start, end), whether ``ranges`` (disjoint, sorted) cover more than
    half of its characters; O(log m) a sentence."""
    if not ranges:
        return [False for _ in sentences]
    starts = [a for a, _ in ranges]
    ends = [b for _, b in ranges]
    # before[k]: the characters the ranges [0, k) cover
    before = [0, *accumulate(b - a for a, b in ranges)]

    def covered_before(x: int) -> int:
        """Characters the ranges cover in [0, x)."""
        k = bisect_right(starts, x)  # ranges [0, k) start at or before x
        if k == 0:
            return 0
        return before[k - 1] + min(x, ends[k - 1]) - starts[k - 1]

    return [2 * (covered_before(b) - covered_before(a)) > b - a for a, b in sentences]


def sentences_with_span(spans: Sequence[Span], sentences: Iterable[tuple[int, int]]) -> int:
    """How many sentences [start, end) at least one span overlaps; O((n + m) log m)."""
    if not spans:
        return 0
    ordered = sorted(spans, key=lambda s: s.start)
    starts = [s.start for s in ordered]
    max_end = list(accumulate((s.end for s in ordered), max))
    n = 0
    for start, end in sentences:
        k = bisect_left(starts, end)  # spans [0, k) start before the sentence ends
        if k and max_end[k - 1] > start:
            n += 1
    return n
