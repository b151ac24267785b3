"""The analysis pipeline: text -> model spans -> records. Batch first: ``pipe`` streams."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Protocol

from propscope.claims.facts import extract_facts_batch
from propscope.claims.language import looks_english
from propscope.claims.profile import build_profile
from propscope.claims.quotes import Quote, find_quotes, quote_of
from propscope.errors import Code, PropscopeError, Warn, warning
from propscope.infer.threads import blas_single_thread
from propscope.segment.sentences import split_sentences
from propscope.types import Analysis, Claim, ModelInfo, Sentence, Span

DEFAULT_MODEL_DIR = Path(__file__).parent / "models" / "default"


class Model(Protocol):
    info: ModelInfo
    is_baseline: bool

    def detect(self, text: str) -> list[Span]:
        """Technique spans of a text (offsets into ``text``)."""
        ...

    def classify(self, text: str, spans: Sequence[tuple[int, int]]) -> list[tuple[str, float]]:
        """Technique and confidence for each given span (subtask TC)."""
        ...


def load_model(spec: str | Path | None = None) -> Model:
    """``None``: the shipped model (or the lexicon baseline where none is shipped);
    ``builtin:lexicon`` / ``builtin:lines``; otherwise a model folder."""
    from propscope.baseline import LexiconModel, LinesModel

    if spec is None:
        if (DEFAULT_MODEL_DIR / "meta.json").exists():
            spec = DEFAULT_MODEL_DIR
        else:
            return LexiconModel()
    if isinstance(spec, str) and spec.startswith("builtin:"):
        name = spec.split(":", 1)[1]
        if name == "lexicon":
            return LexiconModel()
        if name == "lines":
            return LinesModel()
        raise PropscopeError(
            Code.BAD_MODEL, f"unknown built-in model {name!r} (choose lexicon or lines)"
        )
    path = Path(spec)
    if not path.is_dir():
        raise PropscopeError(Code.BAD_MODEL, "model folder not found", path=str(path))
    from propscope.infer.onnx_model import OnnxModel

    return OnnxModel.load(path)


class Pipeline:
    """text -> sentences -> model scores (spans, sentence and claim scores) -> quotes ->
    facts of the check-worthy claims -> profile -> Analysis."""

    def __init__(self, model: Model, *, facts: bool = True) -> None:
        self.model = model
        self.facts = facts

    @property
    def info(self) -> ModelInfo:
        return self.model.info

    def analyze(self, text: str) -> Analysis:
        return next(iter(self.pipe([text])))

    def pipe(self, texts: Iterable[str]) -> Iterator[Analysis]:
        for text in texts:
            with blas_single_thread():  # the encoder's threads keep the cores (infer/threads.py)
                result = self._one(text)
            yield result

    def _one(self, text: str) -> Analysis:
        warnings = []
        if getattr(self.model, "is_baseline", False):
            warnings.append(
                warning(
                    Warn.BASELINE_MODEL,
                    f"{self.model.info.name} is a baseline, not a trained detector",
                )
            )
        if not text.strip():
            return Analysis(
                text=text,
                model=self.model.info,
                profile=build_profile(text, [], [], 0),
                warnings=tuple(warnings),
            )
        if not looks_english(text):
            warnings.append(
                warning(
                    Warn.NOT_ENGLISH, "the text does not look English; the models are English-only"
                )
            )
        sentences = split_sentences(text)
        process = getattr(self.model, "process", None)
        claim_scores: list[float] | None = None
        if process is not None:
            scores = process(text, sentences)
            spans, sent_scores = scores.spans, scores.sentence_scores
            claim_scores = scores.claim_scores
        else:
            spans = self.model.detect(text)
            sent_scores = [
                float(any(s.start < e and b < s.end for s in spans)) for b, e in sentences
            ]
        quotes = find_quotes(text)
        spans = sorted(
            (_mark_quoted(s, quotes, text) for s in spans),
            key=lambda s: (s.start, s.end, s.technique),
        )
        claims: list[Claim] = []
        if claim_scores is not None:
            threshold = float(getattr(self.model, "claim_threshold", 0.5))
            chosen = [i for i, c in enumerate(claim_scores) if c >= threshold]
            regions = [sentences[i] for i in chosen]
            facts = (
                extract_facts_batch(text, regions)
                if self.facts and regions
                else [[] for _ in regions]
            )
            for i, fs in zip(chosen, facts, strict=True):
                b, e = sentences[i]
                q = quote_of(quotes, b, e)
                claims.append(
                    Claim(b, e, claim_scores[i], tuple(fs), q is not None, _speaker(q, text))
                )
        return Analysis(
            text=text,
            model=self.model.info,
            spans=tuple(spans),
            claims=tuple(claims),
            sentences=tuple(
                Sentence(b, e, sc) for (b, e), sc in zip(sentences, sent_scores, strict=True)
            ),
            profile=build_profile(text, spans, sentences, len(claims)),
            warnings=tuple(warnings),
        )


def _speaker(q: Quote | None, text: str) -> str | None:
    if q is None or q.speaker_start is None or q.speaker_end is None:
        return None
    return text[q.speaker_start : q.speaker_end]


def _mark_quoted(span: Span, quotes: list[Quote], text: str) -> Span:
    q = quote_of(quotes, span.start, span.end)
    return span if q is None else replace(span, quoted=True, speaker=_speaker(q, text))


def load(model: str | Path | None = None) -> Pipeline:
    return Pipeline(load_model(model))


def analyze(text: str, model: str | Path | None = None) -> Analysis:
    return load(model).analyze(text)
