"""Check-worthy claims: scoring sentences and turning the chosen ones into ``Claim`` records.

The check-worthiness head reads the [mean, max] of a sentence's hidden states (the detector's
encoder pass is shared, so claims cost no second pass); its logit goes through a sigmoid.
A sentence whose score reaches the model's threshold is a claim; its checkable facts come from
``claims.facts`` and its quotation (if it sits in one) from ``claims.quotes``.
"""

from __future__ import annotations

from collections.abc import Sequence

from propscope.claims.facts import extract_facts_batch
from propscope.claims.quotes import Quote, QuoteIndex, speaker_of
from propscope.infer.features import sentence_features
from propscope.infer.heads import MlpHead, sigmoid
from propscope.infer.scores import BlockScores
from propscope.types import Claim, Fact


def claim_scores(
    head: MlpHead, scores: BlockScores, sentences: Sequence[tuple[int, int]]
) -> list[float]:
    """The probability-like check-worthiness score of each sentence (tokens from ``scores``)."""
    if not sentences:
        return []
    logits = head(sentence_features(scores, sentences))[:, 0]
    return [sigmoid(z) for z in logits]


def assemble_claims(
    text: str,
    sentences: Sequence[tuple[int, int]],
    scores: Sequence[float] | None,
    threshold: float | None,
    quotes: list[Quote],
    *,
    facts: bool = True,
) -> list[Claim]:
    """The sentences scoring at least ``threshold``, as claims with their checkable facts
    (spaCy runs only where ``facts``) and, where quoted, their speaker."""
    if scores is None or threshold is None:
        return []
    chosen = [i for i, c in enumerate(scores) if c >= threshold]
    regions = [sentences[i] for i in chosen]
    found: list[list[Fact]] = (
        extract_facts_batch(text, regions) if facts and regions else [[] for _ in regions]
    )
    claims: list[Claim] = []
    quoted = QuoteIndex(quotes)
    for i, fs in zip(chosen, found, strict=True):
        b, e = sentences[i]
        q = quoted.of(b, e)
        claims.append(Claim(b, e, scores[i], tuple(fs), q is not None, speaker_of(q, text)))
    return claims
