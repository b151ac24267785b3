"""The model protocol: everything the pipeline, evaluation and the commands ask of a model.

A model turns a text into scores: technique spans, a propaganda score per sentence and, where it
scores check-worthiness, a claim score per sentence (``process``; ``claim_scores`` for
sentences on their own). The trained detector
(``propscope.detector.DetectorModel``) and the built-in baselines (``propscope.baseline``)
implement it; nothing probes a model for optional attributes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from propscope.errors import Code, PropscopeError
from propscope.types import ModelInfo, Span

DEFAULT_MODEL_DIR = Path(__file__).parent / "models" / "default"


@dataclass
class DocScores:
    spans: list[Span]
    sentence_scores: Sequence[float]  # one per sentence given
    claim_scores: Sequence[float] | None  # one per sentence; None: the model has no claims head


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

    @property
    def operating_points(self) -> Mapping[str, float]:
        """Sensitivity name (``precise``, ``balanced``, ``sensitive``) -> the span score from
        which spans are returned; empty where the model has none (every span is returned)."""
        ...

    def process(
        self,
        text: str,
        sentences: Sequence[tuple[int, int]],
        *,
        min_score: float | None = None,
    ) -> DocScores:
        """Spans of ``text`` (offsets into it) and the scores of the given sentences; spans
        with a score below ``min_score`` are left out (None: the model's default)."""
        ...

    def claim_scores(self, sentences: Sequence[str]) -> list[float] | None:
        """The check-worthiness score of each text, read as one sentence on its own; None
        where the model scores no claims."""
        ...

    def detect(self, text: str) -> list[Span]:
        """Technique spans of a text (subtask SI with techniques)."""
        ...

    def classify(self, text: str, spans: Sequence[tuple[int, int]]) -> list[tuple[str, float]]:
        """Technique and its probability for each given span (subtask TC)."""
        ...


SENSITIVITIES = ("precise", "balanced", "sensitive")


def resolve_min_score(
    model: Model, sensitivity: str | None = None, min_score: float | None = None
) -> float | None:
    """The span score threshold asked for: ``min_score`` itself, or the model's operating
    point called ``sensitivity`` (E030 for an unknown name or a score outside [0, 1]), or None
    (the model's default)."""
    if min_score is not None:
        if not 0.0 <= min_score <= 1.0:
            raise PropscopeError(Code.BAD_OPTION, f"min score {min_score} is not in [0, 1]")
        return float(min_score)
    if sensitivity is None:
        return None
    if sensitivity not in SENSITIVITIES:
        raise PropscopeError(
            Code.BAD_OPTION,
            f"unknown sensitivity {sensitivity!r} (choose {', '.join(SENSITIVITIES)})",
        )
    return model.operating_points.get(sensitivity)


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
