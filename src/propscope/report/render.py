"""Turn analyses into the output formats of ``propscope analyze``."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any, TextIO

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from propscope.techniques import BY_LABEL
from propscope.types import Analysis, Claim, Span, claim_dict, sentence_dict, span_dict


def to_json(analysis: Analysis, source: str | None = None) -> dict[str, Any]:
    """The analysis JSON, naming ``source`` where the analysis does not name its own (a URL)."""
    if source is not None and analysis.source is None:
        analysis = replace(analysis, source=source)
    return analysis.to_dict()


def render_json(items: list[tuple[str, Analysis]], *, as_list: bool | None = None) -> str:
    """One object for one input, else a list of objects that name their source.

    ``as_list`` says which shape to use; by default, a list when there is more than one item.
    The caller passes it so the shape depends on the inputs given, not on how many of them
    could be read.
    """
    if not (len(items) > 1 if as_list is None else as_list):
        return json.dumps(to_json(items[0][1]), ensure_ascii=False, indent=2)
    return json.dumps([to_json(a, src) for src, a in items], ensure_ascii=False, indent=2)


def write_json(
    items: list[tuple[str, Analysis]], out: TextIO, *, as_list: bool | None = None
) -> None:
    """``render_json(items, as_list=as_list)`` written to ``out`` a piece at a time: the same
    characters, without the whole document in memory, nor the dicts of its spans, claims and
    sentences (each is made when it is written). For a text of 50 MB, the document and its
    dicts would take several times the memory of the analysis itself."""
    if not (len(items) > 1 if as_list is None else as_list):
        obj: Any = _lazy_json(items[0][1])
    else:
        obj = _Lazy(len(items), lambda: (_lazy_json(a, src) for src, a in items))
    json.dump(obj, out, ensure_ascii=False, indent=2)


class _Lazy(list):  # type: ignore[type-arg]
    """A list to ``json.dump`` whose items are made as they are written: json's encoder (the
    one it uses with ``indent``) asks a list only for its length and its items, in order."""

    def __init__(self, n: int, items: Callable[[], Iterator[Any]]) -> None:
        super().__init__()
        self._n = n
        self._items = items

    def __len__(self) -> int:
        return self._n

    def __iter__(self) -> Iterator[Any]:
        return self._items()


def _lazy_json(analysis: Analysis, source: str | None = None) -> dict[str, Any]:
    """``to_json(analysis, source)`` with its spans, claims and sentences made as written."""
    bare = replace(analysis, spans=(), claims=(), sentences=())
    out = to_json(bare, source)
    t = analysis.text
    out["spans"] = _Lazy(len(analysis.spans), lambda: (span_dict(x, t) for x in analysis.spans))
    out["claims"] = _Lazy(len(analysis.claims), lambda: (claim_dict(c, t) for c in analysis.claims))
    out["sentences"] = _Lazy(
        len(analysis.sentences), lambda: (sentence_dict(x) for x in analysis.sentences)
    )
    return out


def render_jsonl(source: str, analysis: Analysis) -> str:
    return json.dumps(to_json(analysis, source), ensure_ascii=False)


def render_ptc(article_id: str, analysis: Analysis) -> str:
    return "".join(f"{article_id}\t{s.technique}\t{s.start}\t{s.end}\n" for s in analysis.spans)


SPAN_SCORE_MEANING = "how sure the model is that the text is a persuasion span"
TECHNIQUE_SCORE_MEANING = "how sure it is of the technique, given a span"
SENTENCE_SCORE_MEANING = "probability that the sentence holds a technique span"
VOICES = (("whole text", None), ("author", "author"), ("quoted", "quoted"))
BAR = 10  # cells of a sentence's score bar


def rich_view(analysis: Analysis, source: str | None = None, *, marks: bool = False) -> Group:
    """The text view: the article summary, a key, the article with its spans (highlighted in
    colour, or with ``marks`` marked inline as ``[[text]]{Label 0.62/0.80}``, readable without
    colour), each sentence's score, then tables of spans, techniques and claims."""
    head, article, tail = _view_parts(analysis, source, marks)
    return Group(*head, article, *tail)


def _view_parts(
    analysis: Analysis, source: str | None, marks: bool
) -> tuple[list[Any], Text, list[Any]]:
    head: list[Any] = [summary(analysis), marks_key() if marks else colour_key(analysis), Text("")]
    article = marked_text(analysis) if marks else highlighted_text(analysis)
    tail: list[Any] = [Text(""), sentence_scores(analysis), spans_table(analysis, source)]
    tail += [techniques_table(analysis), claims_table(analysis), Text(claims_note(analysis))]
    tail.append(footer_text(analysis))
    for w in analysis.warnings:
        tail.append(Text(f"{w['code']}: {w['message']}", style="yellow"))
    return head, article, tail


def _name(label: str) -> str:
    return BY_LABEL[label].name if label in BY_LABEL else label


def _colour(label: str) -> str:
    t = BY_LABEL.get(label)
    return t.colour if t else "yellow"


def highlighted_text(analysis: Analysis) -> Text:
    """The article, each span underlined in its technique's colour (quoted speech in
    italics); where spans overlap, the later one's colour shows (the spans table lists all)."""
    text = Text(analysis.text)
    for s in analysis.spans:
        text.stylize(
            f"underline {_colour(s.technique)}" + (" italic" if s.quoted else ""), s.start, s.end
        )
    return text


def span_mark(s: Span, text: str, start: int, end: int) -> str:
    """One span's part of a mark over ``[start, end)``: its label, span score / technique
    score, its own text where it covers less than the mark, and ``quoted`` (with the
    speaker, where known) in quoted speech."""
    out = f"{s.technique} {s.score:.2f}/{s.technique_score:.2f}"
    if (s.start, s.end) != (start, end):
        out += f' "{_short(text[s.start : s.end], 40)}"'
    if s.quoted:
        out += " quoted" + (f": {' '.join(s.speaker.split())}" if s.speaker else "")
    return out


def marked_text(analysis: Analysis) -> Text:
    """The article as plain text with each span marked inline: ``[[text]]{Label S/T}``.
    Spans that overlap share one mark over the text they cover together, their parts
    separated by ``; `` and each naming its own text where it covers less. Lines are kept
    as they are (no wrapping), so the marked text can be searched line by line."""
    text = analysis.text
    spans = sorted(analysis.spans, key=lambda s: (s.start, s.end, s.technique))
    out: list[str] = []
    pos = 0
    i = 0
    while i < len(spans):
        start, end = spans[i].start, spans[i].end
        j = i + 1
        while j < len(spans) and spans[j].start < end:
            end = max(end, spans[j].end)
            j += 1
        label = "; ".join(span_mark(s, text, start, end) for s in spans[i:j])
        out += [text[pos:start], "[[", text[start:end], "]]{", label, "}"]
        pos = end
        i = j
    out.append(text[pos:])
    return Text("".join(out))


def _scores_key() -> str:
    return (
        f"span score: {SPAN_SCORE_MEANING}; technique score: {TECHNIQUE_SCORE_MEANING}; "
        f"sentence score: {SENTENCE_SCORE_MEANING}."
    )


def marks_key() -> Text:
    """What the inline marks mean (``marked_text``)."""
    return Text(
        "Key: [[text]]{Label S/T} marks a persuasion span: Label is its technique, S its span "
        "score, T its technique score; {Label S/T quoted: Speaker} marks one in quoted speech "
        '(the speaker where known). Overlapping spans share one mark, each with its own "text" '
        "where it covers less; parts are separated by '; '. " + _scores_key()
    )


def colour_key(analysis: Analysis) -> Text:
    """Which colour is which technique (those the article uses), and what the scores mean."""
    key = Text("Key: ")
    labels = sorted({s.technique for s in analysis.spans}, key=_name)
    for i, label in enumerate(labels):
        key.append(", " if i else "")
        key.append(_name(label), style=f"underline {_colour(label)}")
    if labels:
        key.append("; ")
    key.append("italic", style="italic")
    key.append(": quoted speech. " + _scores_key())
    return key


def _voice(p: dict[str, Any], key: str | None) -> dict[str, Any] | None:
    if key is None:
        return p
    v = p.get(key)
    return v if isinstance(v, dict) else None


def summary(analysis: Analysis) -> Group:
    """The article summary (``analysis.profile``): for the whole text, the author's own voice
    and quoted speech, the share of sentences with a technique, techniques per 1,000 words,
    check-worthy claims, the mean sentence score, then the top techniques of each."""
    p = analysis.profile or {}
    voices = [(title, v) for title, key in VOICES if (v := _voice(p, key)) is not None]
    t = Table(title="Article summary", box=None, title_justify="left", pad_edge=False)
    t.title_style = "bold"
    t.add_column("")
    for title, _ in voices:
        t.add_column(title, justify="right")
    rows: list[tuple[str, Callable[[dict[str, Any]], str]]] = [
        ("sentences", lambda v: str(v.get("sentences", 0))),
        ("words", lambda v: str(v.get("words", 0))),
        (
            "sentences with a technique",
            lambda v: f"{100 * v.get('share_of_sentences_with_technique', 0):.1f}%",
        ),
        ("techniques per 1,000 words", lambda v: f"{v.get('techniques_per_1000_words', 0):.2f}"),
        ("check-worthy claims", lambda v: str(v.get("check_worthy_claims", 0))),
        ("mean sentence score", lambda v: f"{v.get('mean_sentence_score', 0):.2f}"),
    ]
    for label, cell in rows:
        t.add_row(label, *(cell(v) for _, v in voices))
    top = Text()
    for title, v in voices:
        names = ", ".join(_name(x) for x in v.get("top_techniques", [])) or "-"
        top.append(f"top techniques, {title}: {names}\n")
    return Group(t, top)


def sentence_scores(analysis: Analysis) -> Text:
    """Each sentence in text order: its number, its score as a figure and as a bar of ``BAR``
    cells (``#`` per tenth), and the start of its text; one line each, at most 80 columns."""
    out = Text()
    if not analysis.sentences:
        return out
    out.append(f"Sentence scores ({SENTENCE_SCORE_MEANING}), in text order\n", style="bold")
    width = len(str(len(analysis.sentences)))
    for i, s in enumerate(analysis.sentences, 1):
        filled = min(BAR, max(0, round(s.score * BAR)))
        out.append(f"{i:>{width}} {s.score:.2f} ")
        out.append("#" * filled, style="bold")
        out.append("." * (BAR - filled), style="dim")
        out.append(" " + _short(analysis.text[s.start : s.end], max(20, 80 - width - 18)) + "\n")
    return out


def spans_table(analysis: Analysis, source: str | None = None) -> Table:
    """Every span: technique, offsets, span and technique score, text, speaker if quoted."""
    spans = Table(title="Spans" + (f" in {source}" if source else ""), show_lines=False)
    spans.caption = "score: span score; tech.: technique score (see the key)"
    for col in ("#", "technique", "start", "end", "score", "tech.", "text", "quoted"):
        spans.add_column(col, overflow="fold")
    for i, s in enumerate(analysis.spans, 1):
        frag = _short(analysis.text[s.start : s.end])
        quoted = ("yes" + (f" ({s.speaker})" if s.speaker else "")) if s.quoted else ""
        spans.add_row(
            str(i),
            _name(s.technique),
            str(s.start),
            str(s.end),
            f"{s.score:.2f}",
            f"{s.technique_score:.2f}",
            frag,
            quoted,
        )
    return spans


def techniques_table(analysis: Analysis) -> Table:
    """How many spans of each technique, most used first."""
    counts: dict[str, int] = {}
    for s in analysis.spans:
        counts[s.technique] = counts.get(s.technique, 0) + 1
    tech = Table(title="Techniques")
    tech.add_column("technique")
    tech.add_column("spans", justify="right")
    for label, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        tech.add_row(_name(label), str(n))
    return tech


def footer_text(analysis: Analysis) -> Text:
    return Text(
        f"model: {analysis.model.name} {analysis.model.version}; "
        f"{len(analysis.text)} characters, {len(analysis.spans)} spans"
    )


FACT_STYLES = {
    "quantity": "bold cyan",
    "date": "bold magenta",
    "person": "bold green",
    "organization": "bold blue",
    "place": "bold yellow",
    "attribution": "italic bold",
}


def _short(frag: str, n: int = 80) -> str:
    frag = frag.replace("\n", " ")
    return frag if len(frag) <= n else frag[: n - 3] + "..."


CLAIM_SCORE_MEANING = (
    "probability that the sentence states a check-worthy fact (calibrated on CT24)"
)


def ranked_claims(analysis: Analysis) -> list[Claim]:
    """The claims, highest score first (ties: in text order)."""
    return sorted(analysis.claims, key=lambda c: (-c.score, c.start, c.end))


def claims_note(analysis: Analysis) -> str:
    """What a claim's score means and which threshold chose the claims: how many sentences
    reached it and how many fell below."""
    t = analysis.claims_threshold
    if t is None and not analysis.claims:
        return "This model does not score sentences as claims." if analysis.sentences else ""
    note = f"Claim score: {CLAIM_SCORE_MEANING}."
    if t is not None:
        total = len(analysis.sentences)
        note += (
            f" Claims: the sentences scoring at least {round(t, 4):g} "
            f"({len(analysis.claims)} of {total}; {total - len(analysis.claims)} below)."
        )
    return note


def claims_table(analysis: Analysis) -> Table:
    """Check-worthy claims ranked by score, highest first, each with its checkable facts
    highlighted by kind (``claims_note`` says what the score means)."""
    t = Table(title=f"Check-worthy claims ({len(analysis.claims)})", show_lines=True)
    t.add_column("#")
    t.add_column("score", justify="right")
    t.add_column("claim (facts highlighted)", overflow="fold")
    t.add_column("facts", overflow="fold")
    for i, c in enumerate(ranked_claims(analysis), 1):
        sentence = Text(analysis.text[c.start : c.end])
        for f in c.facts:
            sentence.stylize(FACT_STYLES.get(f.kind, "bold"), f.start - c.start, f.end - c.start)
        if c.quoted:
            sentence.append(f"  [quoted{': ' + c.speaker if c.speaker else ''}]", style="dim")
        facts = "; ".join(f"{f.kind}: {analysis.text[f.start : f.end]}" for f in c.facts)
        t.add_row(str(i), f"{c.score:.2f}", sentence, facts)
    return t


def writes_plain(console: Console) -> bool:
    """Whether ``console`` writes no colour: not a terminal (a pipe, a file), ``NO_COLOR``
    set, or no colour system."""
    return not console.is_terminal or console.no_color or console.color_system is None


def print_text(
    console: Console, analysis: Analysis, source: str | None = None, *, marks: bool | None = None
) -> None:
    """The text view (``rich_view``) on ``console``. ``marks``: spans marked inline, for
    output without colour; by default, where ``console`` writes no colour (not a terminal, or
    ``NO_COLOR``). The marked article keeps its lines as they are (no wrapping)."""
    if marks is None:
        marks = writes_plain(console)
    if source:
        console.rule(source)
    head, article, tail = _view_parts(analysis, source, marks)
    console.print(Group(*head))
    console.print(article, soft_wrap=marks)
    console.print(Group(*tail))
