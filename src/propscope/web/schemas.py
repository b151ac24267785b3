"""Request and response bodies of the API, as pydantic models (they make the OpenAPI document).

Responses are built by the library (``Analysis.to_dict()``) and sent as they are; the response
models below only document them, and a test checks that every analysis validates against them.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Discriminator, Field, Tag

from propscope.errors import Warn
from propscope.techniques import LABELS
from propscope.web import examples


def _no_surrogates(value: str) -> str:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("the string holds an unpaired surrogate (not valid Unicode)") from None
    return value


UnicodeText = Annotated[str, AfterValidator(_no_surrogates)]


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")


class _Shown(_Strict):
    sensitivity: Literal["precise", "balanced", "sensitive"] | None = Field(
        default=None,
        description="Which spans to return: the model's operating points (precise: fewer, "
        "surer; balanced: the default; sensitive: more, less sure). The answer lists them as "
        "`operating_points`, so a client can re-filter spans by `score` without asking again.",
    )
    min_score: float | None = Field(
        default=None,
        ge=0.0,
        le=1.0,
        description="Return spans whose score (probability of a persuasion span) is at least "
        "this; overrides `sensitivity`.",
    )
    claims_threshold: float | None = Field(
        default=None,
        ge=0.0,
        le=1.0,
        description="Return as claims the sentences whose score (probability that the "
        "sentence states a check-worthy fact, calibrated on CT24) is at least this; default: "
        "the model's threshold. The answer carries the threshold used as `claims_threshold`.",
    )


class TextInput(_Shown):
    text: UnicodeText = Field(description="Plain text; offsets in the answer index into it.")


class HtmlInput(_Shown):
    html: UnicodeText = Field(
        description="An HTML page; its main text is extracted (trafilatura) and analysed, and "
        "the answer carries that text as `text`."
    )


URL_PATTERN = r"^[hH][tT][tT][pP][sS]?://"  # another scheme: E046, 400 (web/errors.py)


class UrlInput(_Shown):
    url: UnicodeText = Field(
        pattern=URL_PATTERN,
        max_length=8192,
        description="An http(s) URL to fetch (public addresses only unless the server allows "
        "private ones); the answer carries the extracted text as `text` and the final URL as "
        "`source`. Any other scheme (ftp://, file://, ...) is refused with E046 (400).",
    )


def _input_kind(value: Any) -> str | None:
    """Which input a body is: the one of ``text``, ``html``, ``url`` that it has, else none."""
    if isinstance(value, dict):
        kinds = [k for k in ("text", "html", "url") if k in value]
        if len(kinds) == 1:
            return kinds[0]
    elif isinstance(value, TextInput | HtmlInput | UrlInput):
        return next(iter(type(value).model_fields))
    return None


AnalyzeRequest = Annotated[
    Annotated[TextInput, Tag("text")]
    | Annotated[HtmlInput, Tag("html")]
    | Annotated[UrlInput, Tag("url")],
    Discriminator(
        _input_kind,
        custom_error_type="input_kind",
        custom_error_message="send an object with exactly one of text, html or url",
    ),
]


class BatchRequest(_Shown):
    texts: list[UnicodeText] = Field(
        description="Plain texts to analyse (at most max_batch); answers come in the same order."
    )


# --- responses (documentation of the analysis JSON, schema propscope.analysis/2) ---

_LABEL_ENUM: dict[str, Any] = {"enum": list(LABELS)}


class ModelOut(BaseModel):
    name: str = Field(description="Model name (e.g. `propscope-detector`).")
    version: str = Field(description="Model version.")


class SpanOut(BaseModel):
    start: int = Field(description="Start offset (Python str index, inclusive).")
    end: int = Field(description="End offset (exclusive).")
    technique: str = Field(
        description="Technique label, spelled as in the PTC corpus (see GET /api/v1/techniques).",
        json_schema_extra=_LABEL_ENUM,
    )
    score: float = Field(description="Probability that the text is a persuasion span.")
    technique_score: float = Field(
        description="Probability that the technique is right, given that it is a span."
    )
    text: str = Field(description="The span's text: `text[start:end]`.")
    quoted: bool = Field(description="True where the span sits in quoted or reported speech.")
    speaker: str | None = Field(
        description="Who is quoted, where the text names them (quoted spans only); else null."
    )


class FactOut(BaseModel):
    start: int = Field(description="Start offset of the fact (inclusive).")
    end: int = Field(description="End offset of the fact (exclusive).")
    kind: str = Field(
        description="What the fact is: a quantity, date, person, organisation, place, ... "
        "(spaCy entity kinds, in words)."
    )
    text: str = Field(description="The fact's text: `text[start:end]`.")


class ClaimOut(BaseModel):
    start: int = Field(description="Start offset of the sentence (inclusive).")
    end: int = Field(description="End offset of the sentence (exclusive).")
    text: str = Field(description="The sentence: `text[start:end]`.")
    score: float = Field(
        description="Probability that the sentence states a check-worthy fact (calibrated on "
        "CT24); at least the answer's `claims_threshold`."
    )
    quoted: bool = Field(description="True where the claim is quoted or reported speech.")
    speaker: str | None = Field(description="Who is quoted, where known; else null.")
    facts: list[FactOut] = Field(description="The checkable facts the sentence states.")


class SentenceOut(BaseModel):
    start: int = Field(description="Start offset of the sentence (inclusive).")
    end: int = Field(description="End offset of the sentence (exclusive).")
    score: float = Field(
        description="Propaganda score of the sentence: how strongly the model finds "
        "persuasion in it (0 to 1)."
    )
    quoted: bool = Field(
        default=False,
        description="True when the sentence belongs to quoted speech: quotations or reported "
        "speech cover more than half of its characters (the profile's `quoted` voice).",
    )


class WarningOut(BaseModel):
    code: str = Field(
        description="Warning code: W001 text truncated to the model's window, W002 not "
        "English, W003 a baseline model, W004 no main text found in the page, W005 unpaired "
        "surrogates replaced.",
        json_schema_extra={"enum": [w.value for w in Warn]},
    )
    message: str = Field(description="What happened, in words.")


class ProfileFigures(BaseModel):
    """How much persuasion a text (or one voice of it) uses."""

    words: int = Field(description="Words (letters and digits, inner apostrophes, dots, ...).")
    sentences: int = Field(description="Sentences.")
    technique_counts: dict[str, int] = Field(
        description="Spans per technique label (keys sorted; techniques without a span left out).",
        json_schema_extra={"propertyNames": _LABEL_ENUM},
    )
    techniques_per_1000_words: float = Field(
        description="All spans per 1,000 words, rounded to 2 decimals (0.0 without words)."
    )
    share_of_sentences_with_technique: float = Field(
        description="Share of the sentences that at least one span overlaps (0 to 1, 4 "
        "decimals; 0.0 without sentences)."
    )
    top_techniques: list[str] = Field(
        description="Up to three most used technique labels, most used first (ties by label).",
        json_schema_extra={"items": {"type": "string", **_LABEL_ENUM}},
    )
    check_worthy_claims: int = Field(description="Check-worthy claims.")
    mean_sentence_score: float = Field(
        description="Mean of the sentences' propaganda scores (4 decimals; 0.0 without sentences)."
    )


class ProfileOut(ProfileFigures):
    """The article profile: the figures for the whole text, then for each voice. A span or
    claim belongs to a voice by its `quoted` flag, a sentence by whether quotes cover most of
    it, a word by whether it starts inside a quote; the two voices add up to the whole."""

    author: ProfileFigures = Field(
        description="The same figures for the author's own voice (everything not quoted)."
    )
    quoted: ProfileFigures = Field(description="The same figures for quoted or reported speech.")


class AnalysisOut(BaseModel):
    """The analysis JSON (schema `propscope.analysis/2`); `text` and `source` only for HTML
    and URL input."""

    model_config = ConfigDict(extra="allow", json_schema_extra={"examples": [examples.ANALYSIS]})

    schema_: str = Field(
        alias="schema", description="Schema name and version: `propscope.analysis/2`."
    )
    model: ModelOut = Field(description="The model that analysed the text.")
    text_length: int = Field(description="Length of the text analysed, in code points.")
    spans: list[SpanOut] = Field(
        description="Technique spans, by start, end and technique; those scoring at least "
        "`min_score`."
    )
    claims: list[ClaimOut] = Field(
        description="Check-worthy claims: sentences scoring at least `claims_threshold`."
    )
    sentences: list[SentenceOut] = Field(description="Every sentence, in text order.")
    profile: ProfileOut = Field(description="How much persuasion the text uses, and where.")
    warnings: list[WarningOut] = Field(description="Coded warnings (empty where none).")
    text: str | None = Field(
        default=None, description="The extracted text that offsets refer to (HTML and URL input)."
    )
    source: str | None = Field(default=None, description="The URL fetched, after redirects.")
    min_score: float | None = Field(
        default=None, description="Spans listed have a score at least this."
    )
    operating_points: dict[str, float] | None = Field(
        default=None,
        description="The model's sensitivities (`precise`, `balanced`, `sensitive`) and the "
        "span score each starts at.",
    )
    claims_threshold: float | None = Field(
        default=None,
        description="Claims listed are the sentences scoring at least this (the request's "
        "`claims_threshold`, else the model's); absent where the model scores no claims.",
    )


class BatchOut(BaseModel):
    analyses: list[AnalysisOut] = Field(description="One analysis per text, in the order sent.")


class TechniqueOut(BaseModel):
    label: str = Field(
        description="Technique label, spelled as in the PTC corpus.", json_schema_extra=_LABEL_ENUM
    )
    name: str = Field(description="Human-readable name.")
    definition: str = Field(description="What the technique does, in one or two sentences.")
    example: str = Field(description="A hand-written example sentence that uses it.")
    colour: str = Field(description="Display colour of its highlights (`#rrggbb`).")


class TechniquesOut(BaseModel):
    techniques: list[TechniqueOut] = Field(description="The 14 techniques, in label order.")


class LimitsOut(BaseModel):
    max_body_bytes: int = Field(description="Largest request body accepted, in bytes (413 above).")
    max_batch: int = Field(description="Most texts in one POST /api/v1/analyze/batch.")
    max_concurrency: int = Field(
        description="Analyses (and explanations) running at once; one more is refused with 503."
    )


class HealthOut(BaseModel):
    status: Literal["ok"] = Field(description="`ok` once the model is loaded.")
    version: str = Field(description="propscope version of the server.")
    model: ModelOut = Field(description="The model the server analyses with.")
    auth_required: bool = Field(
        description="True where the analyze, explain and corpus routes need "
        "`Authorization: Bearer <token>`."
    )
    limits: LimitsOut = Field(description="The limits in force.")


# --- explain -------------------------------------------------------------------------------


class ExplainRequest(_Strict):
    """A character range of a text to explain, and optionally the technique to explain it as."""

    text: UnicodeText = Field(
        description="The text holding the range (plain text; the same text an analysis was "
        "given, so that its span offsets apply)."
    )
    start: int = Field(
        description="Start of the range: a Python str index (Unicode code point) into `text`, "
        "inclusive; 0 <= start < end."
    )
    end: int = Field(
        description="End of the range (exclusive); end <= the length of `text` in code points."
    )
    technique: str | None = Field(
        default=None,
        description="Technique label to explain the range as (see GET /api/v1/techniques); "
        "null: the model's most likely technique for the range. An unknown label is E012.",
        json_schema_extra={"enum": [*LABELS, None]},
    )


class ExplainTechniqueOut(BaseModel):
    label: str = Field(
        description="Technique label (spelled as in the PTC corpus).",
        json_schema_extra=_LABEL_ENUM,
    )
    name: str = Field(description="Human-readable name of the technique.")
    definition: str = Field(description="What the technique does, in one or two sentences.")
    example: str = Field(description="A hand-written example sentence that uses it.")


class RangeOut(BaseModel):
    start: int = Field(description="Start offset (Python str index, inclusive).")
    end: int = Field(description="End offset (exclusive).")


class ExplainWordOut(BaseModel):
    start: int = Field(description="Start offset of the word (Python str index, inclusive).")
    end: int = Field(description="End offset of the word (exclusive).")
    text: str = Field(description="The word: `text[start:end]`.")
    weight: float = Field(
        description="How much `score` drops when this word is occluded (its tokens replaced "
        "by [MASK]), rounded to 4 decimals: positive = the word pushed the score up, negative "
        "= it pulled it down, 0 = no effect (or no encoder window of the range reads it)."
    )
    technique_weight: float = Field(
        description="The same drop for `technique_score`, rounded to 4 decimals."
    )


class ExplainOut(BaseModel):
    """Why a range was flagged: its scores, its technique, and each nearby word's weight."""

    model_config = ConfigDict(json_schema_extra={"examples": [examples.EXPLANATION]})

    start: int = Field(description="Start of the range explained (as sent).")
    end: int = Field(description="End of the range explained (as sent).")
    text: str = Field(description="The range's text: `text[start:end]`.")
    technique: ExplainTechniqueOut = Field(
        description="The technique explained: the one sent, else the model's most likely one "
        "for the range."
    )
    score: float = Field(
        description="Probability that the range is a persuasion span, as the model scores "
        "spans (for a span of an analysis, the analysis's score, except for spans grown to "
        "their clause or sentence, which are scored here on their own range)."
    )
    technique_score: float = Field(
        description="Probability of the technique, given that the range is a span."
    )
    method: Literal["occlusion"] = Field(
        description="How word weights are computed: `occlusion` (each word masked in turn and "
        "the range scored again; gradient-free, deterministic)."
    )
    window: RangeOut = Field(
        description="The range of the words weighed: the sentence(s) holding the range, at "
        "most 60 words (those nearest the range)."
    )
    words: list[ExplainWordOut] = Field(
        description="Every word of `window` (letters and digits; punctuation is not a word), "
        "in text order, with its weights."
    )
