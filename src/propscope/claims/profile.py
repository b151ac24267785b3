"""The article profile: how much persuasion an article uses, and where, for the whole text and
separately for the author's own voice and for quoted speech."""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import accumulate, pairwise
from typing import Any, Protocol

from propscope.segment.windows import start_order
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
    voice_claims = sum(1 for c in claims if c.quoted)
    out = _figures(words, lambda: iter(spans), lambda: iter(sentences), len(claims))

    # each voice's spans and sentences are made again for each reader rather than held
    # (memory: a long text's records are held compactly; issue 14)
    def spans_of(quoted: bool) -> Callable[[], Iterator[Span]]:
        return lambda: (s for s in spans if s.quoted == quoted)

    def sentences_of(quoted: bool) -> Callable[[], Iterator[Sentence]]:
        return lambda: (x for x, q in zip(sentences, in_quote, strict=True) if q == quoted)

    out["author"] = _figures(
        words - quoted_words, spans_of(False), sentences_of(False), len(claims) - voice_claims
    )
    out["quoted"] = _figures(quoted_words, spans_of(True), sentences_of(True), voice_claims)
    return out


def _figures(
    words: int,
    spans: Callable[[], Iterable[Span]],
    sentences: Callable[[], Iterable[Sentence]],
    n_claims: int,
) -> dict[str, Any]:
    """The figures of one voice; ``spans()`` and ``sentences()`` give its spans and sentences
    (each is read more than once)."""
    counts = Counter(s.technique for s in spans())
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    n_spans = sum(counts.values())
    per_1000 = round(n_spans * 1000 / words, 2) if words else 0.0
    with_technique = sentences_with_span(spans(), ((x.start, x.end) for x in sentences()))
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


class _Ranges:
    """Disjoint ranges [start, end), sorted, as arrays (8 bytes a number: a long text has
    many quotes), with ``before[k]``: the characters the ranges [0, k) cover."""

    __slots__ = ("before", "ends", "starts")

    def __init__(self) -> None:
        self.starts, self.ends, self.before = array("q"), array("q"), array("q", [0])

    def __len__(self) -> int:
        return len(self.starts)


def _merged(quotes: Iterable[_Range]) -> _Ranges:
    """The union of the quotes' ranges [start, end) as disjoint, sorted ranges (touching
    ranges merged)."""
    given = quotes if isinstance(quotes, Sequence) else list(quotes)
    pairs: Iterable[tuple[int, int]] = ((q.start, q.end) for q in given)
    if any(a.start > b.start for a, b in pairwise(given)):  # (find_quotes sorts them)
        pairs = sorted(pairs)
    out = _Ranges()
    starts, ends = out.starts, out.ends
    for a, b in pairs:
        if ends and a <= ends[-1]:
            if b > ends[-1]:
                ends[-1] = b
        else:
            starts.append(a)
            ends.append(b)
    out.before.extend(accumulate(b - a for a, b in zip(starts, ends, strict=True)))
    return out


def _words_starting_in(text: str, ranges: _Ranges) -> tuple[int, int]:
    """How many words ``text`` has, and how many of them start inside one of ``ranges``
    (disjoint, sorted): one pass over the words with a pointer into the ranges."""
    if not ranges:
        return count_words(text), 0
    n = quoted = j = 0
    starts, ends, last = ranges.starts, ranges.ends, len(ranges)
    for m in _WORD.finditer(text):
        n += 1
        at = m.start()
        while j < last and ends[j] <= at:
            j += 1
        if j < last and starts[j] <= at:
            quoted += 1
    return n, quoted


def _sentence_is_quoted(sentences: Iterable[tuple[int, int]], ranges: _Ranges) -> list[bool]:
    """For each sentence [start, end), whether ``ranges`` (disjoint, sorted) cover more than
    half of its characters; O(log m) a sentence."""
    if not ranges:
        return [False for _ in sentences]
    starts, ends, before = ranges.starts, ranges.ends, ranges.before

    def covered_before(x: int) -> int:
        """Characters the ranges cover in [0, x)."""
        k = bisect_right(starts, x)  # ranges [0, k) start at or before x
        if k == 0:
            return 0
        return before[k - 1] + min(x, ends[k - 1]) - starts[k - 1]

    return [2 * (covered_before(b) - covered_before(a)) > b - a for a, b in sentences]


def sentences_with_span(spans: Iterable[Span], sentences: Iterable[tuple[int, int]]) -> int:
    """How many sentences [start, end) at least one span overlaps; O((n + m) log m). The
    spans are read once (their offsets kept in arrays, not the spans)."""
    starts, ends = array("q"), array("q")
    for s in spans:
        starts.append(s.start)
        ends.append(s.end)
    if not starts:
        return 0
    order = start_order(starts)
    if order is not None:
        starts = array("q", (starts[i] for i in order))
        ends = array("q", (ends[i] for i in order))
    max_end = array("q", accumulate(ends, max))
    n = 0
    for start, end in sentences:
        k = bisect_left(starts, end)  # spans [0, k) start before the sentence ends
        if k and max_end[k - 1] > start:
            n += 1
    return n
