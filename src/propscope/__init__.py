"""propscope: persuasion techniques and checkable claims, span by span, on a CPU."""

from propscope.errors import PropscopeError
from propscope.explain import Explanation, WordWeight, explain
from propscope.pipeline import Pipeline, analyze, load
from propscope.techniques import LABELS, TECHNIQUES
from propscope.types import Analysis, Claim, Fact, ModelInfo, Sentence, Span
from propscope.version import __version__

__all__ = [
    "LABELS",
    "TECHNIQUES",
    "Analysis",
    "Claim",
    "Explanation",
    "Fact",
    "ModelInfo",
    "Pipeline",
    "PropscopeError",
    "Sentence",
    "Span",
    "WordWeight",
    "__version__",
    "analyze",
    "explain",
    "load",
]
