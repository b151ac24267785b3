"""Sentences -> check-worthy claims and their checkable facts: the rule and spaCy based parts
(facts, quotations and attribution, the language check, the article profile). spaCy and its
model load lazily, on the first call that needs them."""

from propscope.claims.facts import extract_facts, extract_facts_batch
from propscope.claims.language import looks_english
from propscope.claims.profile import build_profile
from propscope.claims.quotes import Quote, find_quotes, quote_of

__all__ = [
    "Quote",
    "build_profile",
    "extract_facts",
    "extract_facts_batch",
    "find_quotes",
    "looks_english",
    "quote_of",
]
