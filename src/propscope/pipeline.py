"""The analysis pipeline: text -> sentences -> model scores -> spans, claims -> Analysis.

Read in order, one analysis is:

1. ``split_sentences`` (``segment/``): sentence offsets.
2. ``model.process`` (``propscope.model.Model``): for the trained detector, block scores from
   the encoder (``infer/``), decoded into spans with a calibrated confidence (``decode/``), a
   propaganda score and a check-worthiness score per sentence.
3. ``find_quotes`` (``claims/quotes``): which spans and claims sit in quoted or reported speech.
4. ``choose_claims`` (``claims/checkworthy``): sentences at or above the claims threshold
   (``claims_threshold``, else the model's).
5. ``build_profile``: counts per technique and per 1,000 words, for the whole text, the
   author's voice and quoted speech.
6. ``with_facts``: the claims' checkable facts (spaCy), once the quotes are no longer held.

Batch first: ``pipe`` streams texts (or ``(id, text)`` pairs); ``analyze`` is a batch of one;
``analyze_html`` and ``analyze_url`` analyse the main text of a page.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, overload

from propscope.claims.checkworthy import choose_claims, with_facts
from propscope.claims.language import looks_english
from propscope.claims.profile import build_profile, quoted_sentences
from propscope.claims.quotes import Quote, QuoteIndex, find_quotes, speaker_of
from propscope.corpus.html import extract_main_text
from propscope.corpus.text import replace_surrogates
from propscope.errors import Code, PropscopeError, Warn, warning
from propscope.infer.threads import blas_single_thread
from propscope.model import DEFAULT_MODEL_DIR, DocScores, Model, load_model, resolve_min_score
from propscope.segment.sentences import split_sentences
from propscope.types import Analysis, Claim, ModelInfo, Records, Span, sentence_records

if TYPE_CHECKING:  # httpx (behind corpus.url) loads only when a URL is analysed
    from propscope.corpus.url import Fetched, FetchLimits
    from propscope.explain import Explanation

__all__ = [
    "DEFAULT_MODEL_DIR",
    "DocScores",
    "Model",
    "Pipeline",
    "analyze",
    "check_claims_threshold",
    "load",
    "load_model",
]

Fetch = Callable[[str, "FetchLimits"], "Fetched"]


def check_claims_threshold(value: float | None) -> float | None:
    """The claims threshold asked for, as a float (None: the model's own); E030 outside [0, 1]
    (NaN included)."""
    if value is None:
        return None
    if not 0.0 <= value <= 1.0:
        raise PropscopeError(Code.BAD_OPTION, f"claims threshold {value} is not in [0, 1]")
    return float(value)


class Pipeline:
    """``sensitivity`` (``precise``, ``balanced``, ``sensitive``: the model's operating points)
    or ``min_score`` chooses which spans are shown: those whose probability of being a
    persuasion span reaches the threshold. Default: the model's own (``balanced``).

    ``claims_threshold`` chooses which sentences are claims: those whose check-worthiness score
    reaches it. Default: the model's own (``model.claim_threshold``, from its folder)."""

    def __init__(
        self,
        model: Model,
        *,
        facts: bool = True,
        sensitivity: str | None = None,
        min_score: float | None = None,
        claims_threshold: float | None = None,
    ) -> None:
        self.model = model
        self.facts = facts  # spaCy facts of each claim (the costliest step after the encoder)
        self.min_score = resolve_min_score(model, sensitivity, min_score)
        self.claims_threshold = check_claims_threshold(claims_threshold)  # None: the model's

    @property
    def info(self) -> ModelInfo:
        return self.model.info

    def using(
        self,
        *,
        sensitivity: str | None = None,
        min_score: float | None = None,
        claims_threshold: float | None = None,
    ) -> Pipeline:
        """This pipeline (same model, loaded once) with other thresholds: spans at another
        operating point, claims from another score; what is not given stays as it is here.
        Itself when nothing is given."""
        spans_given = sensitivity is not None or min_score is not None
        if not spans_given and claims_threshold is None:
            return self
        claims = self.claims_threshold if claims_threshold is None else claims_threshold
        return Pipeline(
            self.model,
            facts=self.facts,
            sensitivity=sensitivity,
            min_score=min_score if spans_given else self.min_score,
            claims_threshold=claims,
        )

    @property
    def shown_from(self) -> float | None:
        """The span score from which spans are shown (None: every span the model gives)."""
        if self.min_score is not None:
            return self.min_score
        return self.model.operating_points.get("balanced")

    @property
    def claims_from(self) -> float | None:
        """The check-worthiness score from which a sentence is a claim: ``claims_threshold``,
        else the model's; None where the model scores no claims (it has no claims head)."""
        if self.model.claim_threshold is None or self.claims_threshold is None:
            return self.model.claim_threshold
        return self.claims_threshold

    def analyze(self, text: str) -> Analysis:
        (analysis,) = self.pipe([text])  # runs the generator to its end: the BLAS limit is lifted
        return analysis

    def pipe(self, items: Iterable[str | tuple[str, str]]) -> Iterator[Analysis]:
        """Analyse texts, or ``(id, text)`` pairs (each analysis then carries its id), in order.
        numpy's BLAS runs on one thread while the generator runs (``infer/threads.py``)."""
        with blas_single_thread():
            for item in items:
                doc_id, text = (None, item) if isinstance(item, str) else item
                yield self._analyze(text, doc_id=doc_id)

    def explain(self, text: str, start: int, end: int, technique: str | None = None) -> Explanation:
        """Why ``text[start:end]`` is flagged (``propscope.explain``): its span score and the
        technique's score (the one given, else the model's most likely), and each word of its
        sentence(s) weighed by occlusion (the drop in each score without it). E063 for a
        range that is empty or outside the text, E012 for an unknown technique."""
        from propscope.explain import explain

        text, _ = replace_surrogates(text)  # one for one: offsets unchanged
        with blas_single_thread():
            return explain(self.model, text, start, end, technique)

    def analyze_html(self, html: str | bytes, *, source: str | None = None) -> Analysis:
        """Analyse the main text of an HTML page; the analysis carries that text."""
        extracted = extract_main_text(html)
        return self._analyze_main_text(extracted.text, source, extracted.warnings)

    def analyze_url(
        self, url: str, *, limits: FetchLimits | None = None, fetch: Fetch | None = None
    ) -> Analysis:
        """Fetch an http(s) page (public addresses only unless ``limits.allow_private``: E046
        for a refused address, E047 for a failed fetch) and analyse its main text."""
        from propscope.corpus.url import FetchLimits, fetch_url

        return self.analyze_fetched((fetch or fetch_url)(url, limits or FetchLimits()))

    def analyze_fetched(self, fetched: Fetched) -> Analysis:
        """Analyse the main text of a page already fetched (``corpus.url.fetch_url``)."""
        if fetched.kind == "html":
            return self.analyze_html(fetched.content, source=fetched.url)
        return self._analyze_main_text(str(fetched.content), fetched.url, ())

    def _analyze_main_text(
        self, text: str, source: str | None, warnings: tuple[dict[str, str], ...]
    ) -> Analysis:
        """An analysis of text taken from a page: it carries the text, the page's warnings
        after its own, and where the page came from."""
        with blas_single_thread():
            a = self._analyze(text)
        return replace(a, warnings=a.warnings + warnings, source=source, main_text=True)

    def _analyze(self, text: str, *, doc_id: str | None = None) -> Analysis:
        warnings = []
        text, replaced = replace_surrogates(text)
        if replaced:
            warnings.append(
                warning(
                    Warn.REPLACED_CHARACTERS,
                    f"{replaced} lone surrogate code point{'s' if replaced > 1 else ''} replaced "
                    "by U+FFFD (one for one: offsets unchanged)",
                )
            )
        if self.model.is_baseline:
            warnings.append(
                warning(
                    Warn.BASELINE_MODEL,
                    f"{self.model.info.name} is a baseline, not a trained detector",
                )
            )
        points = dict(self.model.operating_points)
        if not text or text.isspace():  # (strip() would copy a huge text)
            return Analysis(
                text=text,
                model=self.model.info,
                profile=build_profile(text, [], [], []),
                warnings=tuple(warnings),
                id=doc_id,
                min_score=self.shown_from,
                operating_points=points,
                claims_threshold=self.claims_from,
            )
        if not looks_english(text):
            warnings.append(
                warning(
                    Warn.NOT_ENGLISH, "the text does not look English; the models are English-only"
                )
            )
        # Memory (issue 14): on a long text the analysis' records are most of what it holds
        # beyond the text and the model, so they are held as columns (``types.Records``;
        # ``_Offsets`` reads the sentences' as (start, end) pairs for the steps), each
        # intermediate is dropped once its last reader is done (the pairs before the model
        # runs, its score lists once read), and everything that needs the quotes (spans' and
        # claims' voices, sentences' flags, the profile) is done before spaCy reads the claims,
        # so the quotes are gone by then.
        pairs = split_sentences(text)
        starts, ends = array("q", (b for b, _ in pairs)), array("q", (e for _, e in pairs))
        del pairs
        offsets = _Offsets(starts, ends)
        scores = self.model.process(text, offsets, min_score=self.shown_from)
        found, claim_scores = scores.spans, scores.claim_scores
        sentence_scores = array("d", scores.sentence_scores)
        del scores
        quotes = find_quotes(text, offsets)
        spans = Records(
            Span,
            sorted(_mark_quoted(found, quotes, text), key=lambda s: (s.start, s.end, s.technique)),
        )
        del found
        chosen = choose_claims(text, offsets, claim_scores, self.claims_from, quotes)
        has_claims = claim_scores is not None
        del claim_scores
        in_quote = quoted_sentences(offsets, quotes)
        sentences = sentence_records(starts, ends, sentence_scores, in_quote)
        del in_quote
        profile = build_profile(text, spans, sentences, chosen, quotes)
        del quotes
        claims = with_facts(text, chosen) if self.facts else Records(Claim, chosen)
        del chosen
        return Analysis(
            text=text,
            model=self.model.info,
            spans=spans,
            claims=claims,
            sentences=sentences,
            profile=profile,
            warnings=tuple(warnings),
            id=doc_id,
            min_score=self.shown_from,
            operating_points=points,
            claims_threshold=self.claims_from if has_claims else None,
        )


class _Offsets(Sequence[tuple[int, int]]):
    """Sentence offsets as ``(start, end)`` pairs, made on demand from two arrays: what the
    steps after the sentence splitter read, without a list of pairs held (about 130 bytes a
    sentence)."""

    __slots__ = ("_ends", "_starts")

    def __init__(self, starts: array[int], ends: array[int]) -> None:
        self._starts, self._ends = starts, ends

    def __len__(self) -> int:
        return len(self._starts)

    @overload
    def __getitem__(self, i: int) -> tuple[int, int]: ...

    @overload
    def __getitem__(self, i: slice) -> list[tuple[int, int]]: ...

    def __getitem__(self, i: int | slice) -> tuple[int, int] | list[tuple[int, int]]:
        if isinstance(i, slice):
            return list(zip(self._starts[i], self._ends[i], strict=True))
        return (self._starts[i], self._ends[i])

    def __iter__(self) -> Iterator[tuple[int, int]]:
        return zip(self._starts, self._ends, strict=True)


def _mark_quoted(spans: Iterable[Span], quotes: list[Quote], text: str) -> Iterator[Span]:
    """Each span, marked quoted (with its speaker, where known) where a quote holds most of
    it (``quote_of``, by an index built once)."""
    quoted = QuoteIndex(quotes)
    for span in spans:
        q = quoted.of(span.start, span.end)
        yield span if q is None else replace(span, quoted=True, speaker=speaker_of(q, text))


def load(
    model: str | Path | None = None,
    *,
    facts: bool = True,
    sensitivity: str | None = None,
    min_score: float | None = None,
    claims_threshold: float | None = None,
) -> Pipeline:
    """A pipeline on a model folder, a built-in model or (None) the shipped one; a bad
    threshold is refused (E030) before the model loads."""
    claims_threshold = check_claims_threshold(claims_threshold)
    return Pipeline(
        load_model(model),
        facts=facts,
        sensitivity=sensitivity,
        min_score=min_score,
        claims_threshold=claims_threshold,
    )


def analyze(text: str, model: str | Path | None = None) -> Analysis:
    return load(model).analyze(text)
