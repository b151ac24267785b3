"""The PTC corpus (SemEval-2020 Task 11): articles, gold spans, and the official formats.

Layout of a split folder (``DIR``)::

    <split>-articles/article<ID>.txt
    <split>-labels-task-flc-tc/article<ID>.task-flc-tc.labels   id TAB technique TAB start TAB end
    <split>-labels-task-si/article<ID>.task-si.labels           id TAB start TAB end
    <split>-task-flc-tc.labels / <split>-task-si.labels          the same, one file per split

Empty or missing label files mean "no spans".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from propscope.corpus.text import read_text, require_dir
from propscope.errors import Code, PropscopeError
from propscope.techniques import is_technique
from propscope.types import Span

ARTICLE_RE = re.compile(r"^article(\d+)\.txt$")


@dataclass(frozen=True)
class GoldSpan:
    start: int
    end: int
    technique: str | None  # None for SI-only labels


@dataclass
class Document:
    id: str
    text: str
    path: str
    spans: list[GoldSpan] = field(default_factory=list)  # TC labels (technique set)
    si_spans: list[tuple[int, int]] = field(default_factory=list)

    def gold(self) -> list[Span]:
        return [Span(s.start, s.end, s.technique or "") for s in self.spans]


def article_id(path: Path) -> str:
    m = ARTICLE_RE.match(path.name)
    return m.group(1) if m else path.stem


def read_articles(folder: Path) -> dict[str, Document]:
    require_dir(folder)
    docs: dict[str, Document] = {}
    for p in sorted(folder.iterdir()):
        if p.suffix != ".txt":
            continue
        aid = article_id(p)
        docs[aid] = Document(aid, read_text(p), str(p))
    return docs


def parse_label_line(
    line: str, *, path: str, lineno: int, with_technique: bool, allow_unknown: bool = False
) -> tuple[str, str | None, int, int]:
    parts = line.rstrip("\r\n").split("\t")
    want = 4 if with_technique else 3
    if len(parts) != want:
        fmt = "id<TAB>technique<TAB>start<TAB>end" if with_technique else "id<TAB>start<TAB>end"
        raise PropscopeError(
            Code.MALFORMED_LABEL,
            f"expected {want} tab-separated fields ({fmt}), got {len(parts)}",
            path=path,
            line=lineno,
        )
    aid = parts[0].strip().lstrip("\ufeff")
    technique = parts[1].strip() if with_technique else None
    try:
        start, end = int(parts[-2]), int(parts[-1])
    except ValueError:
        raise PropscopeError(
            Code.MALFORMED_LABEL,
            f"start and end must be integers, got {parts[-2]!r} and {parts[-1]!r}",
            path=path,
            line=lineno,
        ) from None
    if (
        technique is not None
        and not (allow_unknown and technique == "?")
        and not is_technique(technique)
    ):
        raise PropscopeError(
            Code.UNKNOWN_TECHNIQUE, f"unknown technique {technique!r}", path=path, line=lineno
        )
    return aid, technique, start, end


def read_label_file(
    path: Path, *, with_technique: bool
) -> Iterator[tuple[int, str, str | None, int, int]]:
    """Yield (line number, article id, technique, start, end) for each non-blank line."""
    text = read_text(path)
    for lineno, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        yield (
            lineno,
            *parse_label_line(line, path=str(path), lineno=lineno, with_technique=with_technique),
        )


def _check_range(
    doc: Document | None, aid: str, start: int, end: int, path: Path, lineno: int
) -> Document:
    if doc is None:
        raise PropscopeError(
            Code.UNKNOWN_ARTICLE,
            f"label refers to article {aid}, which is not in the corpus",
            path=str(path),
            line=lineno,
        )
    if not (0 <= start < end <= len(doc.text)):
        raise PropscopeError(
            Code.LABEL_OUT_OF_RANGE,
            f"span {start}..{end} is outside article {aid} (length {len(doc.text)})",
            path=str(path),
            line=lineno,
        )
    return doc


def _label_files(root: Path, split: str, task: str) -> list[Path]:
    """Per-article label files if their folder exists, else the combined file, else nothing."""
    folder = root / f"{split}-labels-task-{task}"
    if folder.is_dir():
        return sorted(folder.glob("*.labels"))
    combined = root / f"{split}-task-{task}.labels"
    return [combined] if combined.exists() else []


def read_split(root: Path, split: str) -> list[Document]:
    """Read one split (``train``, ``dev``, ``test``) of a PTC folder with its gold labels."""
    require_dir(root)
    docs = read_articles(root / f"{split}-articles")
    for path in _label_files(root, split, "flc-tc"):
        for lineno, aid, tech, start, end in read_label_file(path, with_technique=True):
            doc = _check_range(docs.get(aid), aid, start, end, path, lineno)
            doc.spans.append(GoldSpan(start, end, tech))
    for path in _label_files(root, split, "si"):
        for lineno, aid, _t, start, end in read_label_file(path, with_technique=False):
            doc = _check_range(docs.get(aid), aid, start, end, path, lineno)
            doc.si_spans.append((start, end))
    for doc in docs.values():
        doc.spans.sort(key=lambda s: (s.start, s.end, s.technique or ""))
        doc.si_spans.sort()
    return list(docs.values())


def read_template(path: Path) -> list[tuple[str, int, int]]:
    """A TC template or label file (``id ? start end`` or ``id technique start end``)."""
    rows = []
    text = read_text(path)
    for lineno, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        ncols = len(line.rstrip("\r").split("\t"))
        if ncols == 3:
            aid, _t, start, end = parse_label_line(
                line, path=str(path), lineno=lineno, with_technique=False
            )
        else:
            aid, _t, start, end = parse_label_line(
                line, path=str(path), lineno=lineno, with_technique=True, allow_unknown=True
            )
        rows.append((aid, start, end))
    return rows


def format_si(rows: Iterable[tuple[str, int, int]]) -> str:
    return "".join(f"{aid}\t{s}\t{e}\n" for aid, s, e in rows)


def format_tc(rows: Iterable[tuple[str, str, int, int]]) -> str:
    return "".join(f"{aid}\t{t}\t{s}\t{e}\n" for aid, t, s, e in rows)
