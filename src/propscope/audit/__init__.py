"""Audits of a model's behaviour. ``swap``: does the same rhetoric get the same label whichever
side it names? (issue 6)"""

from propscope.audit.swap import (
    DEFAULT_PAIRS,
    Pair,
    Replacement,
    Swapped,
    audit,
    load_pairs,
    map_back,
    map_forward,
    read_texts,
    swap_text,
)

__all__ = [
    "DEFAULT_PAIRS",
    "Pair",
    "Replacement",
    "Swapped",
    "audit",
    "load_pairs",
    "map_back",
    "map_forward",
    "read_texts",
    "swap_text",
]
