"""Frozen records shared by every skin of propscope (library, CLI, API, storage, pages).

Offsets are Python ``str`` indices into the original text: start inclusive, end exclusive,
so ``text[span.start:span.end]`` is the span's text.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar, overload

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
    # a tuple each, or ``Records`` (compact, from a pipeline): sequences of records either way
    spans: Sequence[Span] = ()
    claims: Sequence[Claim] = ()
    sentences: Sequence[Sentence] = ()
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


R = TypeVar("R", Span, Fact, Claim, Sentence)

# How ``Records`` holds each field of a record type, in the order of the type's fields:
# "q" an int (8 bytes), "d" a float (8 bytes), "b" a bool (1 byte), "s" a string or None (a
# 4-byte index into the distinct values: techniques, kinds, speakers), "facts" a tuple of
# ``Fact`` (held as ``Records`` of their own, with 8 bytes a record for where its run starts).
LAYOUTS: dict[type, tuple[tuple[str, str], ...]] = {
    Span: (
        ("start", "q"),
        ("end", "q"),
        ("technique", "s"),
        ("score", "d"),
        ("quoted", "b"),
        ("speaker", "s"),
        ("technique_score", "d"),
    ),
    Fact: (("start", "q"), ("end", "q"), ("kind", "s")),
    Claim: (
        ("start", "q"),
        ("end", "q"),
        ("score", "d"),
        ("facts", "facts"),
        ("quoted", "b"),
        ("speaker", "s"),
    ),
    Sentence: (("start", "q"), ("end", "q"), ("score", "d"), ("quoted", "b")),
}


class Records(Sequence[R]):
    """Frozen records of one type (``Span``, ``Fact``, ``Claim`` or ``Sentence``) held as
    columns, each record made again when it is read: about 40 bytes a span and 80 a claim with
    two facts (tests/test_types.py measures them), against some 200 and 500 as objects, which
    on a long text are most of what an analysis holds beyond the text and the model (issue 14).
    A sequence like a tuple of the records: indexing (a slice gives a tuple), iteration,
    ``len``, equality with a tuple or ``Records`` of equal records, hashing, pickling (of the
    columns). Values read back equal those given: ints and floats as Python numbers (a float
    as a double), bools, strings and None as they were.

    ``Records(kind, items)`` reads the records one at a time (an iterator of them is never
    held); ``append`` adds one more."""

    __slots__ = ("_bounds", "_columns", "_facts", "_index", "_kind", "_layout", "_values")

    def __init__(self, kind: type[R], items: Iterable[R] = ()) -> None:
        self._kind: type[R] = kind
        self._layout = LAYOUTS[kind]
        self._columns: list[Any] = []
        for _name, code in self._layout:
            if code == "facts":
                self._columns.append(None)
            else:
                self._columns.append(array("i" if code == "s" else code))
        self._values: list[str | None] = []  # the distinct strings (and None) of "s" fields
        self._index: dict[str | None, int] = {}
        nested = any(code == "facts" for _n, code in self._layout)
        self._facts: Records[Fact] | None = Records(Fact) if nested else None
        self._bounds = array("q", [0])  # facts of record k: self._facts[bounds[k]:bounds[k+1]]
        for item in items:
            self.append(item)

    def append(self, item: R) -> None:
        if type(item) is not self._kind:
            raise TypeError(f"a {self._kind.__name__} was expected, not {type(item).__name__}")
        for (name, code), column in zip(self._layout, self._columns, strict=True):
            value = getattr(item, name)
            if code == "s":
                k = self._index.get(value)
                if k is None:
                    k = self._index[value] = len(self._values)
                    self._values.append(value)
                column.append(k)
            elif code == "facts":
                assert self._facts is not None
                for f in value:
                    self._facts.append(f)
                self._bounds.append(len(self._facts))
            else:
                column.append(value)

    def __len__(self) -> int:
        return len(self._columns[0])

    def _record(self, i: int) -> R:
        fields: list[Any] = []
        for (_name, code), column in zip(self._layout, self._columns, strict=True):
            if code == "s":
                fields.append(self._values[column[i]])
            elif code == "facts":
                assert self._facts is not None
                fields.append(self._facts[self._bounds[i] : self._bounds[i + 1]])
            elif code == "b":
                fields.append(bool(column[i]))
            else:
                fields.append(column[i])
        return self._kind(*fields)

    @overload
    def __getitem__(self, i: int) -> R: ...

    @overload
    def __getitem__(self, i: slice) -> tuple[R, ...]: ...

    def __getitem__(self, i: int | slice) -> R | tuple[R, ...]:
        n = len(self)
        if isinstance(i, slice):
            return tuple(self._record(k) for k in range(*i.indices(n)))
        if not -n <= i < n:
            raise IndexError(f"record index {i} out of range ({n} records)")
        return self._record(i % n)

    def __iter__(self) -> Iterator[R]:
        return (self._record(k) for k in range(len(self)))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, tuple | Records):
            return NotImplemented  # as a tuple: never equal to a list
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"Records({self._kind.__name__}, {list(self)!r})"


def sentence_records(
    starts: array[int],
    ends: array[int],
    scores: array[float],
    quoted: Iterable[bool] | None = None,
) -> Records[Sentence]:
    """Sentence records from their columns (taken as they are, not copied); ``quoted``: one
    flag a sentence (default: none quoted)."""
    out = Records(Sentence)
    n = len(starts)
    flags = array("b", bytes(n) if quoted is None else map(bool, quoted))
    if not n == len(ends) == len(scores) == len(flags):
        raise ValueError("as many starts, ends, scores and quoted flags are needed")
    out._columns = [starts, ends, scores, flags]
    return out
