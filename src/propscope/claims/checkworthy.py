"""Check-worthy claims: scoring sentences and turning the chosen ones into ``Claim`` records.

The check-worthiness head reads the [mean, max] of a sentence's hidden states (the detector's
encoder pass is shared, so claims cost no second pass); its logit goes through a sigmoid.
A sentence whose score reaches the model's threshold is a claim (``choose_claims``; its
quotation, if it sits in one, from ``claims.quotes``); its checkable facts come from
``claims.facts`` (``with_facts``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from propscope.claims.facts import iter_facts
from propscope.claims.quotes import Quote, QuoteIndex, speaker_of
from propscope.infer.features import sentence_features
from propscope.infer.heads import MlpHead, sigmoid
from propscope.infer.scores import BlockScores
from propscope.types import Claim, Records


def claim_scores(
    head: MlpHead, scores: BlockScores, sentences: Sequence[tuple[int, int]]
) -> list[float]:
    """The probability-like check-worthiness score of each sentence (tokens from ``scores``)."""
    if not sentences:
        return []
    logits = head(sentence_features(scores, sentences))[:, 0]
    return [sigmoid(z) for z in logits]


def choose_claims(
    text: str,
    sentences: Sequence[tuple[int, int]],
    scores: Sequence[float] | None,
    threshold: float | None,
    quotes: list[Quote],
) -> list[Claim]:
    """The sentences scoring at least ``threshold``, as claims without their facts and, where
    quoted, with their speaker (none where there are no scores or no threshold)."""
    if scores is None or threshold is None:
        return []
    quoted = QuoteIndex(quotes)
    claims: list[Claim] = []
    for i, c in enumerate(scores):
        if c >= threshold:
            b, e = sentences[i]
            q = quoted.of(b, e)
            claims.append(Claim(b, e, c, (), q is not None, speaker_of(q, text)))
    return claims


def with_facts(text: str, claims: Sequence[Claim]) -> Records[Claim]:
    """The claims with their checkable facts (``claims.facts``; spaCy reads every claim), held
    compactly (``types.Records``): each claim's facts join them as soon as they are found."""
    out = Records(Claim)
    for c, fs in zip(claims, iter_facts(text, [(c.start, c.end) for c in claims]), strict=True):
        out.append(replace(c, facts=tuple(fs)))
    return out
