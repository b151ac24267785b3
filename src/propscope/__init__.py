"""propscope: persuasion techniques and checkable claims, span by span, on a CPU."""

from propscope.errors import PropscopeError
from propscope.pipeline import Pipeline, analyze, load
from propscope.techniques import LABELS, TECHNIQUES
from propscope.types import Analysis, Claim, Fact, ModelInfo, Sentence, Span

__version__ = "0.1.0"

__all__ = [
    "LABELS",
    "TECHNIQUES",
    "Analysis",
    "Claim",
    "Fact",
    "ModelInfo",
    "Pipeline",
    "PropscopeError",
    "Sentence",
    "Span",
    "analyze",
    "load",
]
