"""The article profile: how much persuasion an article uses, and where."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from itertools import accumulate
from typing import Any

from propscope.types import Span

TOP_N = 3
# a word: letters or digits, with inner apostrophes, dots, commas and hyphens
# ("don't", "U.S", "3,400", "well-known" are one word each)
_WORD = re.compile(r"\w+(?:['’.,-]\w+)*")


def count_words(text: str) -> int:
    return sum(1 for _ in _WORD.finditer(text))


def build_profile(
    text: str, spans: Sequence[Span], sentences: Sequence[tuple[int, int]], n_claims: int
) -> dict[str, Any]:
    """The profile of one analysed text.

    * ``words``: word tokens in ``text``;
    * ``technique_counts``: spans per technique label, keys sorted;
    * ``techniques_per_1000_words``: all spans per 1,000 words, rounded to 2 decimals (0.0 for
      a text without words);
    * ``share_of_sentences_with_technique``: the share of ``sentences`` that at least one
      span overlaps, rounded to 4 decimals (0.0 without sentences);
    * ``top_techniques``: the (up to) three most used labels, most used first, ties broken by
      label;
    * ``check_worthy_claims``: ``n_claims``.
    """
    words = count_words(text)
    counts = Counter(s.technique for s in spans)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    per_1000 = round(len(spans) * 1000 / words, 2) if words else 0.0
    with_technique = sentences_with_span(spans, sentences)
    share = round(with_technique / len(sentences), 4) if sentences else 0.0
    return {
        "words": words,
        "technique_counts": dict(sorted(counts.items())),
        "techniques_per_1000_words": per_1000,
        "share_of_sentences_with_technique": share,
        "top_techniques": [label for label, _ in ranked[:TOP_N]],
        "check_worthy_claims": n_claims,
    }


def sentences_with_span(spans: Sequence[Span], sentences: Sequence[tuple[int, int]]) -> int:
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
