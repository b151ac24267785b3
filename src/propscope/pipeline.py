"""The analysis pipeline: text -> model spans -> records. Batch first: ``pipe`` streams."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Protocol

from propscope.errors import Code, PropscopeError, Warn, warning
from propscope.types import Analysis, ModelInfo, Span

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
    def __init__(self, model: Model) -> None:
        self.model = model

    @property
    def info(self) -> ModelInfo:
        return self.model.info

    def analyze(self, text: str) -> Analysis:
        return next(iter(self.pipe([text])))

    def pipe(self, texts: Iterable[str]) -> Iterator[Analysis]:
        for text in texts:
            yield self._one(text)

    def _one(self, text: str) -> Analysis:
        warnings = []
        if getattr(self.model, "is_baseline", False):
            warnings.append(
                warning(
                    Warn.BASELINE_MODEL,
                    f"{self.model.info.name} is a baseline, not a trained detector",
                )
            )
        spans: list[Span] = self.model.detect(text) if text.strip() else []
        spans = sorted(spans, key=lambda s: (s.start, s.end, s.technique))
        return Analysis(
            text=text, model=self.model.info, spans=tuple(spans), warnings=tuple(warnings)
        )


def load(model: str | Path | None = None) -> Pipeline:
    return Pipeline(load_model(model))


def analyze(text: str, model: str | Path | None = None) -> Analysis:
    return load(model).analyze(text)
