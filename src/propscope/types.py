"""Frozen records shared by every skin of propscope (library, CLI, API, storage, pages).

Offsets are Python ``str`` indices into the original text: start inclusive, end exclusive,
so ``text[span.start:span.end]`` is the span's text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# /2: the profile has ``sentences`` and ``mean_sentence_score``, and the same figures for the
# author's own voice (``author``) and for quoted speech (``quoted``); see claims.profile
SCHEMA = "propscope.analysis/2"


@dataclass(frozen=True, order=True, slots=True)
class Span:
    start: int
    end: int
    technique: str
    score: float = 1.0  # probability that the text is (part of) a persuasion span
    quoted: bool = False  # inside a quotation or reported speech
    speaker: str | None = None  # who is quoted, where known
    technique_score: float = 1.0  # probability of the technique, given that it is a span

    def __post_init__(self) -> None:
        if not (0 <= self.start < self.end):
            raise ValueError(f"invalid span offsets {self.start}..{self.end}")

    def text_in(self, text: str) -> str:
        return text[self.start : self.end]

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True, slots=True)
class Fact:
    start: int
    end: int
    kind: str


@dataclass(frozen=True, slots=True)
class Claim:
    start: int
    end: int
    score: float
    facts: tuple[Fact, ...] = ()
    quoted: bool = False
    speaker: str | None = None


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    score: float
    quoted: bool = False  # quotations cover more than half of it (claims.profile.quoted_sentences)


@dataclass(frozen=True)
class ModelInfo:
    name: str
    version: str


@dataclass(frozen=True)
class Analysis:
    text: str
    model: ModelInfo
    spans: tuple[Span, ...] = ()
    claims: tuple[Claim, ...] = ()
    sentences: tuple[Sentence, ...] = ()
    profile: dict[str, Any] = field(default_factory=dict)  # claims.profile.build_profile
    warnings: tuple[dict[str, str], ...] = ()
    id: str | None = None  # the id given with the text to ``Pipeline.pipe``
    source: str | None = None  # where the text came from (a URL, a file), where known
    main_text: bool = False  # the text was extracted from HTML: the JSON carries it
    min_score: float | None = None  # spans shown have a score at least this (None: all)
    operating_points: dict[str, float] = field(default_factory=dict)  # the model's
    claims_threshold: float | None = None  # claims score at least this (None: unknown/none)

    def to_dict(self, *, with_text: bool | None = None) -> dict[str, Any]:
        """The analysis JSON (schema ``propscope.analysis/2``). It holds the analysed ``text``
        where ``with_text`` (default: where the text was extracted from HTML, so that the
        offsets index something the reader has), ``source`` and ``id`` where known."""
        t = self.text
        out: dict[str, Any] = {
            "schema": SCHEMA,
            "model": {"name": self.model.name, "version": self.model.version},
            "text_length": len(t),
            "spans": [span_dict(s, t) for s in self.spans],
            "claims": [claim_dict(c, t) for c in self.claims],
            "sentences": [sentence_dict(s) for s in self.sentences],
            "profile": dict(self.profile),
            "warnings": [dict(w) for w in self.warnings],
        }
        if self.min_score is not None:
            out["min_score"] = round(float(self.min_score), 4)
        if self.operating_points:
            out["operating_points"] = {k: round(v, 4) for k, v in self.operating_points.items()}
        if self.claims_threshold is not None:
            out["claims_threshold"] = round(float(self.claims_threshold), 4)
        if self.main_text if with_text is None else with_text:
            out["text"] = t
        if self.source is not None:
            out["source"] = self.source
        if self.id is not None:
            out["id"] = self.id
        return out


# one item of the analysis JSON each (``Analysis.to_dict``; ``report.render.write_json`` writes
# them one at a time)


def span_dict(s: Span, text: str) -> dict[str, Any]:
    return {
        "start": s.start,
        "end": s.end,
        "technique": s.technique,
        "score": round(float(s.score), 4),
        "technique_score": round(float(s.technique_score), 4),
        "text": text[s.start : s.end],
        "quoted": s.quoted,
        "speaker": s.speaker,
    }


def claim_dict(c: Claim, text: str) -> dict[str, Any]:
    return {
        "start": c.start,
        "end": c.end,
        "text": text[c.start : c.end],
        "score": round(float(c.score), 4),
        "quoted": c.quoted,
        "speaker": c.speaker,
        "facts": [
            {"start": f.start, "end": f.end, "kind": f.kind, "text": text[f.start : f.end]}
            for f in c.facts
        ],
    }


def sentence_dict(s: Sentence) -> dict[str, Any]:
    return {"start": s.start, "end": s.end, "score": round(float(s.score), 4), "quoted": s.quoted}
