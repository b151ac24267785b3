"""Examples of every API body, for the OpenAPI document (``/openapi.json``, ``/docs``).

They are real answers of the shipped model (``propscope-detector`` 0.4.0) to the requests
beside them, written down once: documentation, never an answer. A test checks that each one
validates against its response model, so they cannot drift from the schema unnoticed.
"""

from __future__ import annotations

from typing import Any

from propscope.techniques import techniques_json

ANALYZE_TEXT = (
    "Once again, the so-called experts at City Hall have shown their true colours. "
    '"They are evil thugs," said Smith. The council voted 5 to 2 to close the library.'
)

ANALYZE_REQUESTS: dict[str, dict[str, Any]] = {
    "text": {
        "summary": "Plain text",
        "value": {"text": ANALYZE_TEXT},
    },
    "text, sensitive": {
        "summary": "Plain text, more (less sure) spans, claims from a score of 0.5",
        "value": {"text": ANALYZE_TEXT, "sensitivity": "sensitive", "claims_threshold": 0.5},
    },
    "html": {
        "summary": "An HTML page (its main text is analysed)",
        "value": {
            "html": "<html><body><article><p>" + ANALYZE_TEXT + "</p></article></body></html>"
        },
    },
    "url": {
        "summary": "A public http(s) URL",
        "value": {"url": "https://example.org/news/library-closure"},
    },
}

ANALYSIS: dict[str, Any] = {
    "schema": "propscope.analysis/2",
    "model": {"name": "propscope-detector", "version": "0.4.0"},
    "text_length": 159,
    "spans": [
        {
            "start": 16,
            "end": 33,
            "technique": "Name_Calling,Labeling",
            "score": 0.5859,
            "technique_score": 0.7261,
            "text": "so-called experts",
            "quoted": False,
            "speaker": None,
        },
        {
            "start": 79,
            "end": 83,
            "technique": "Name_Calling,Labeling",
            "score": 0.5769,
            "technique_score": 0.6511,
            "text": "They",
            "quoted": True,
            "speaker": "Smith",
        },
        {
            "start": 84,
            "end": 98,
            "technique": "Name_Calling,Labeling",
            "score": 0.9106,
            "technique_score": 0.7619,
            "text": "are evil thugs",
            "quoted": True,
            "speaker": "Smith",
        },
    ],
    "claims": [
        {
            "start": 113,
            "end": 159,
            "text": "The council voted 5 to 2 to close the library.",
            "score": 0.9116,
            "quoted": False,
            "speaker": None,
            "facts": [
                {"start": 131, "end": 132, "kind": "quantity", "text": "5"},
                {"start": 136, "end": 137, "kind": "quantity", "text": "2"},
            ],
        }
    ],
    "sentences": [
        {"start": 0, "end": 77, "score": 0.8404},
        {"start": 78, "end": 112, "score": 0.9765},
        {"start": 113, "end": 159, "score": 0.0162},
    ],
    "profile": {
        "words": 29,
        "sentences": 3,
        "technique_counts": {"Name_Calling,Labeling": 3},
        "techniques_per_1000_words": 103.45,
        "share_of_sentences_with_technique": 0.6667,
        "top_techniques": ["Name_Calling,Labeling"],
        "check_worthy_claims": 1,
        "mean_sentence_score": 0.611,
        "author": {
            "words": 25,
            "sentences": 2,
            "technique_counts": {"Name_Calling,Labeling": 1},
            "techniques_per_1000_words": 40.0,
            "share_of_sentences_with_technique": 0.5,
            "top_techniques": ["Name_Calling,Labeling"],
            "check_worthy_claims": 1,
            "mean_sentence_score": 0.4283,
        },
        "quoted": {
            "words": 4,
            "sentences": 1,
            "technique_counts": {"Name_Calling,Labeling": 2},
            "techniques_per_1000_words": 500.0,
            "share_of_sentences_with_technique": 1.0,
            "top_techniques": ["Name_Calling,Labeling"],
            "check_worthy_claims": 0,
            "mean_sentence_score": 0.9765,
        },
    },
    "warnings": [],
    "min_score": 0.32,
    "operating_points": {"precise": 0.4, "balanced": 0.32, "sensitive": 0.21},
    "claims_threshold": 0.32,
}

BATCH_REQUESTS: dict[str, dict[str, Any]] = {
    "two texts": {
        "summary": "Two plain texts",
        "value": {"texts": [ANALYZE_TEXT, "The council met on Tuesday."]},
    },
}

EXPLAIN_TEXT = "Once again, the so-called experts at City Hall have shown their true colours."

EXPLAIN_REQUESTS: dict[str, dict[str, Any]] = {
    "span": {
        "summary": "A span of an analysis, as its technique",
        "value": {
            "text": EXPLAIN_TEXT,
            "start": 16,
            "end": 33,
            "technique": "Name_Calling,Labeling",
        },
    },
    "any range": {
        "summary": "Any range, as the model's most likely technique",
        "value": {"text": EXPLAIN_TEXT, "start": 58, "end": 76, "technique": None},
    },
}

EXPLANATION: dict[str, Any] = {
    "start": 16,
    "end": 33,
    "text": "so-called experts",
    "technique": {
        "label": "Name_Calling,Labeling",
        "name": "Name calling or labelling",
        "definition": "Attaches a label the audience fears, hates or admires to a "
        "person or group instead of discussing what they do.",
        "example": "The usual crowd of radical activists showed up again.",
    },
    "score": 0.4724,
    "technique_score": 0.6657,
    "method": "occlusion",
    "window": {"start": 0, "end": 76},
    "words": [
        {"start": 0, "end": 4, "text": "Once", "weight": -0.1066, "technique_weight": 0.0005},
        {"start": 5, "end": 10, "text": "again", "weight": 0.1699, "technique_weight": 0.0243},
        {"start": 12, "end": 15, "text": "the", "weight": 0.0528, "technique_weight": 0.0506},
        {
            "start": 16,
            "end": 25,
            "text": "so-called",
            "weight": 0.1148,
            "technique_weight": -0.0505,
        },
        {"start": 26, "end": 33, "text": "experts", "weight": 0.1604, "technique_weight": 0.0147},
        {"start": 34, "end": 36, "text": "at", "weight": -0.1177, "technique_weight": -0.017},
        {"start": 37, "end": 41, "text": "City", "weight": 0.0682, "technique_weight": -0.0236},
        {"start": 42, "end": 46, "text": "Hall", "weight": -0.0727, "technique_weight": -0.0186},
        {"start": 47, "end": 51, "text": "have", "weight": -0.0596, "technique_weight": -0.0212},
        {"start": 52, "end": 57, "text": "shown", "weight": 0.0175, "technique_weight": -0.0042},
        {"start": 58, "end": 63, "text": "their", "weight": 0.151, "technique_weight": 0.0355},
        {"start": 64, "end": 68, "text": "true", "weight": 0.1033, "technique_weight": 0.0076},
        {"start": 69, "end": 76, "text": "colours", "weight": -0.0549, "technique_weight": 0.0194},
    ],
}

TECHNIQUES: dict[str, Any] = {"techniques": techniques_json()[:2]}

HEALTH: dict[str, Any] = {
    "status": "ok",
    "version": "0.4.0",
    "model": {"name": "propscope-detector", "version": "0.4.0"},
    "auth_required": False,
    "limits": {"max_body_bytes": 2000000, "max_batch": 32, "max_concurrency": 2},
}


def json_example(value: Any) -> dict[str, Any]:
    """A response's ``content`` with one example."""
    return {"application/json": {"example": value}}


# The corpus routes (``propscope serve --db``), on a database of two documents analysed by
# the lexicon baseline; each technique table is shortened to two of its 14 entries.
_MODEL = {"name": "propscope-lexicon-baseline", "version": "0.1.0"}
_SCOPE = {"model": _MODEL, "sensitivity": "balanced", "min_score": None}

CORPUS_STATS: dict[str, Any] = {
    **_SCOPE,
    "by": "source",
    "groups": [
        {
            "key": "news.example",
            "documents": 1,
            "words": 10,
            "spans": 3,
            "spans_per_1000_words": 300.0,
            "share_of_sentences_with_technique": 1.0,
            "check_worthy_claims": 0,
            "techniques": {
                "Flag-Waving": {"count": 1, "per_1000_words": 100.0},
                "Loaded_Language": {"count": 1, "per_1000_words": 100.0},
            },
        }
    ],
    "total": {
        "key": "all",
        "documents": 2,
        "words": 33,
        "spans": 4,
        "spans_per_1000_words": 121.212,
        "share_of_sentences_with_technique": 0.6667,
        "check_worthy_claims": 0,
        "techniques": {
            "Doubt": {"count": 1, "per_1000_words": 30.303},
            "Flag-Waving": {"count": 1, "per_1000_words": 30.303},
        },
    },
}

CORPUS_FACETS: dict[str, Any] = {
    **_SCOPE,
    "documents": 2,
    "sources": ["example.org", "news.example"],
    "date_from": "2026-03-04",
    "date_to": "2026-04-01",
    "techniques": ["Doubt", "Flag-Waving"],
}

CORPUS_DOCUMENTS: dict[str, Any] = {
    "total": 2,
    "documents": [
        {
            "id": "story-18",
            "title": "Opinion",
            "source": "news.example",
            "date": "2026-04-01",
            "author": "A. Smith",
            "words": 10,
            "spans": 3,
            "check_worthy_claims": 0,
        }
    ],
    "limit": 1,
    "offset": 0,
    **_SCOPE,
}

CORPUS_DOCUMENT: dict[str, Any] = {
    **ANALYSIS,
    "text": ANALYZE_TEXT,
    "document": {
        "source": "example.org",
        "date": "2026-03-04",
        "author": "J. Doe",
        "meta": {"title": "Library to close"},
    },
}
