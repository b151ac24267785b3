"""The model protocol: everything the pipeline, evaluation and the commands ask of a model.

A model turns a text into scores: technique spans, a propaganda score per sentence and, where it
has a check-worthiness head, a claim score per sentence (``process``). The trained detector
(``propscope.detector.DetectorModel``) and the built-in baselines (``propscope.baseline``)
implement it; nothing probes a model for optional attributes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from propscope.errors import Code, PropscopeError
from propscope.types import ModelInfo, Span

DEFAULT_MODEL_DIR = Path(__file__).parent / "models" / "default"


@dataclass
class DocScores:
    spans: list[Span]
    sentence_scores: list[float]  # one per sentence given
    claim_scores: list[float] | None  # one per sentence; None where the model has no claims head


class Model(Protocol):
    @property
    def info(self) -> ModelInfo:
        """Name and version."""
        ...

    @property
    def is_baseline(self) -> bool:
        """True for the built-in baselines (the analysis then carries a warning)."""
        ...

    @property
    def claim_threshold(self) -> float | None:
        """Score from which a sentence is a check-worthy claim; None: no claims head."""
        ...

    def process(self, text: str, sentences: Sequence[tuple[int, int]]) -> DocScores:
        """Spans of ``text`` (offsets into it) and the scores of the given sentences."""
        ...

    def detect(self, text: str) -> list[Span]:
        """Technique spans of a text (subtask SI with techniques)."""
        ...

    def classify(self, text: str, spans: Sequence[tuple[int, int]]) -> list[tuple[str, float]]:
        """Technique and its probability for each given span (subtask TC)."""
        ...


def load_model(spec: str | Path | None = None) -> Model:
    """``None``: the shipped model (or the lexicon baseline where none is shipped);
    ``builtin:lexicon`` / ``builtin:lines``; otherwise a model folder."""
    from propscope.baseline import LexiconModel, LinesModel

    if spec is None:
        if not (DEFAULT_MODEL_DIR / "meta.json").exists():
            return LexiconModel()
        spec = DEFAULT_MODEL_DIR
    if isinstance(spec, str) and spec.startswith("builtin:"):
        name = spec.split(":", 1)[1]
        if name == "lexicon":
            return LexiconModel()
        if name == "lines":
            return LinesModel()
        raise PropscopeError(
            Code.BAD_MODEL, f"unknown built-in model {name!r} (choose lexicon or lines)"
        )
    from propscope.detector import DetectorModel

    return DetectorModel.load(Path(spec))
