"""Request and response bodies of the API, as pydantic models (they make the OpenAPI document).

Responses are built by the library (``Analysis.to_dict()``) and sent as they are; the response
models below only document them, and a test checks that every analysis validates against them.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Discriminator, Field, Tag


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


class UrlInput(_Shown):
    url: UnicodeText = Field(
        pattern=r"^[hH][tT][tT][pP][sS]?://",
        max_length=8192,
        description="An http(s) URL to fetch (public addresses only unless the server allows "
        "private ones); the answer carries the extracted text as `text` and the final URL as "
        "`source`.",
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


# --- responses (documentation of the analysis JSON, schema propscope.analysis/1) ---


class ModelOut(BaseModel):
    name: str
    version: str


class SpanOut(BaseModel):
    start: int = Field(description="Start offset (Python str index, inclusive).")
    end: int = Field(description="End offset (exclusive).")
    technique: str
    score: float = Field(description="Probability that the text is a persuasion span.")
    technique_score: float = Field(
        description="Probability that the technique is right, given that it is a span."
    )
    text: str
    quoted: bool
    speaker: str | None


class FactOut(BaseModel):
    start: int
    end: int
    kind: str
    text: str


class ClaimOut(BaseModel):
    start: int
    end: int
    text: str
    score: float = Field(
        description="Probability that the sentence states a check-worthy fact (calibrated on "
        "CT24); at least the answer's `claims_threshold`."
    )
    quoted: bool
    speaker: str | None
    facts: list[FactOut]


class SentenceOut(BaseModel):
    start: int
    end: int
    score: float


class WarningOut(BaseModel):
    code: str
    message: str


class AnalysisOut(BaseModel):
    """The analysis JSON; `text` and `source` only for HTML and URL input."""

    model_config = ConfigDict(extra="allow")

    schema_: str = Field(alias="schema")
    model: ModelOut
    text_length: int
    spans: list[SpanOut]
    claims: list[ClaimOut]
    sentences: list[SentenceOut]
    profile: dict[str, Any]
    warnings: list[WarningOut]
    text: str | None = Field(
        default=None, description="The extracted text that offsets refer to (HTML and URL input)."
    )
    source: str | None = Field(default=None, description="The URL fetched, after redirects.")
    min_score: float | None = Field(
        default=None, description="Spans listed have a score at least this."
    )
    operating_points: dict[str, float] | None = Field(
        default=None, description="The model's sensitivities and the span score each starts at."
    )
    claims_threshold: float | None = Field(
        default=None,
        description="Claims listed are the sentences scoring at least this (the request's "
        "`claims_threshold`, else the model's); absent where the model scores no claims.",
    )


class BatchOut(BaseModel):
    analyses: list[AnalysisOut]


class TechniqueOut(BaseModel):
    label: str
    name: str
    definition: str
    example: str
    colour: str


class TechniquesOut(BaseModel):
    techniques: list[TechniqueOut]


class LimitsOut(BaseModel):
    max_body_bytes: int
    max_batch: int
    max_concurrency: int


class HealthOut(BaseModel):
    status: str
    version: str
    model: ModelOut
    auth_required: bool
    limits: LimitsOut
