"""The swap audit: exchange the names of opposing sides and compare the model's spans.

A *pairs file* lists names of opposing sides, one pair a line (``group<TAB>side_a<TAB>side_b``,
``#`` comments). :func:`swap_text` exchanges them in both directions in one pass and keeps an
offset map, so spans found in the swapped copy can be mapped back to the original
(:func:`map_back`) and gold spans forward into a swapped training copy (:func:`map_forward`,
:func:`augment_document`). :func:`audit` runs a model on each text and its swapped copy and
reports how far the two agree.

Matching rules (the shipped ``pairs.tsv`` documents them for its readers too):

* whole words only (``Israel`` never matches inside ``Israeli``), longest name first; the words
  of a multi-word name may be separated by any run of spaces or tabs, not by a line break;
* a name spelled with a capital in the file (a proper noun) matches occurrences whose first
  letter is a capital, the rest in any case: ``Democratic`` matches ``Democratic`` and
  ``DEMOCRATIC`` but leaves ``democratic process`` alone; a name spelled in lowercase matches in
  any case (``liberal``, ``Liberal``, ``LIBERAL``);
* the replacement takes the occurrence's case pattern: the file spelling when the occurrence is
  spelled as in the file, else ALL CAPS, all lowercase, Title Case or a capitalised first letter;
* endings outside the name stay as they are, so possessives need no entry
  (``Trump's`` -> ``Biden's``, ``Democrats'`` -> ``Republicans'``);
* precedence: a name may be listed in several pairs. In each text it is exchanged with its
  partner from the first pair (file order) whose other name also occurs in that text, else with
  its partner from the first pair that lists it. ``Muslims`` thus becomes ``Hindus`` in a text
  that names Hindus, and ``Christians`` in one that names neither (if Christians/Muslims is
  listed first). The same two names listed twice, a name paired with itself, or one name spelled
  in two different ways is an error (E010).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from propscope.corpus.ptc import read_articles
from propscope.corpus.text import read_text, require_dir
from propscope.errors import Code, PropscopeError
from propscope.scoring import si_score
from propscope.types import Span

DEFAULT_PAIRS = Path(__file__).with_name("pairs.tsv")
SCHEMA = "propscope.audit.swap/1"
TOP_CHANGES = 20
_KINDS = ("technique", "missing", "new", "boundary")  # kinds of change, most serious first

_SPACE = r"[^\S\r\n]+"  # between the words of a multi-word name: spaces, tabs, no line break
_LETTER_START = re.compile(r"(?<![^\W\d_])[^\W\d_]")  # a letter not preceded by a letter


# -- pairs -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pair:
    """Two names of opposing sides, exchanged in both directions.

    ``group`` names the conflict (``us/parties``); ``line`` is the pairs-file line (0: built in
    code).
    """

    group: str
    a: str
    b: str
    line: int = 0


def _norm(name: str) -> str:
    return " ".join(name.split())


def _key(name: str) -> str:
    return _norm(name).casefold()


def load_pairs(path: Path | str | None = None) -> list[Pair]:
    """Read a pairs file (``None``: the shipped ``pairs.tsv``); checked as :func:`check_pairs`."""
    p = DEFAULT_PAIRS if path is None else Path(path)
    text = read_text(p)
    pairs: list[Pair] = []
    for lineno, raw in enumerate(text.split("\n"), 1):
        line = raw.rstrip("\r").lstrip("\ufeff")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = [f.strip() for f in line.split("\t")]
        if len(parts) != 3 or not all(parts):
            raise PropscopeError(
                Code.MALFORMED_LABEL,
                "expected 3 non-empty tab-separated fields (group<TAB>side_a<TAB>side_b), "
                f"got {line.strip()!r}",
                path=str(p),
                line=lineno,
            )
        pairs.append(Pair(parts[0], _norm(parts[1]), _norm(parts[2]), lineno))
    check_pairs(pairs, path=str(p))
    if not pairs:
        raise PropscopeError(Code.MALFORMED_LABEL, "the pairs file lists no pairs", path=str(p))
    return pairs


def check_pairs(pairs: Sequence[Pair], *, path: str | None = None) -> None:
    """Raise E010 for a name without a letter, a name paired with itself, the same two names
    listed twice, or one name spelled two ways (``Labour`` and ``labour``)."""
    spelled: dict[str, tuple[str, int]] = {}
    seen: dict[frozenset[str], int] = {}

    def fail(message: str, pair: Pair) -> PropscopeError:
        return PropscopeError(
            Code.MALFORMED_LABEL, message, path=path, line=pair.line if pair.line else None
        )

    for pair in pairs:
        for name in (pair.a, pair.b):
            if not any(ch.isalpha() for ch in name):
                raise fail(f"name {name!r} has no letter", pair)
            key, spelling = _key(name), _norm(name)
            first = spelled.setdefault(key, (spelling, pair.line))
            if first[0] != spelling:
                where = f" on line {first[1]}" if first[1] else ""
                raise fail(
                    f"name {spelling!r} is spelled {first[0]!r}{where}; spell a name the same "
                    "way in every pair (the spelling decides how it matches)",
                    pair,
                )
        both = frozenset((_key(pair.a), _key(pair.b)))
        if len(both) == 1:
            raise fail(f"name {pair.a!r} is paired with itself", pair)
        if both in seen:
            where = f" on line {seen[both]}" if seen[both] else ""
            raise fail(f"the pair {pair.a!r} / {pair.b!r} is already listed{where}", pair)
        seen[both] = pair.line


@dataclass(frozen=True)
class _Matcher:
    regex: re.Pattern[str]
    keys: tuple[str, ...]  # key of the name matched by regex group i + 1
    spelling: dict[str, str]  # key -> spelling in the pairs file
    partners: dict[str, tuple[tuple[str, str], ...]]  # key -> ((partner key, group), ...)


def _escape(part: str) -> str:
    return _SPACE.join(re.escape(w) for w in part.split(" "))


def _name_pattern(name: str) -> str:
    i = next(k for k, ch in enumerate(name) if ch.isalpha())
    if name[i].isupper():  # a proper noun: its first letter must be a capital
        return _escape(name[:i]) + re.escape(name[i]) + "(?i:" + _escape(name[i + 1 :]) + ")"
    return "(?i:" + _escape(name) + ")"


@lru_cache(maxsize=16)
def _matcher(pairs: tuple[Pair, ...]) -> _Matcher:
    check_pairs(pairs)
    spelling: dict[str, str] = {}
    partners: dict[str, list[tuple[str, str]]] = {}
    for pair in pairs:
        ka, kb = _key(pair.a), _key(pair.b)
        spelling.setdefault(ka, _norm(pair.a))
        spelling.setdefault(kb, _norm(pair.b))
        partners.setdefault(ka, []).append((kb, pair.group))
        partners.setdefault(kb, []).append((ka, pair.group))
    keys = tuple(sorted(spelling, key=lambda k: (-len(k), k)))
    alternatives = "|".join(f"({_name_pattern(spelling[k])})" for k in keys)
    regex = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)" if keys else r"(?!x)x")
    return _Matcher(regex, keys, spelling, {k: tuple(v) for k, v in partners.items()})


# -- swapping and offset maps ----------------------------------------------------------------


@dataclass(frozen=True)
class Replacement:
    """One exchanged name: ``original[orig_start:orig_end] == old`` and
    ``text[new_start:new_end] == new``."""

    orig_start: int
    orig_end: int
    new_start: int
    new_end: int
    group: str
    old: str
    new: str


@dataclass(frozen=True)
class Swapped:
    """A text with the names of opposing sides exchanged, and where each exchange happened."""

    original: str
    text: str
    replacements: tuple[Replacement, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.replacements)

    def groups(self) -> list[str]:
        """The pair groups swapped in this text, in order of first occurrence."""
        return list(dict.fromkeys(r.group for r in self.replacements))


def _recase(found: str, source: str, target: str) -> str:
    """``target`` written with the case pattern of ``found`` (an occurrence of ``source``)."""
    if found == source:
        return target
    if found.isupper():
        return target.upper()
    if found.islower():
        return target.lower()
    if found.istitle():
        return _LETTER_START.sub(lambda m: m.group().upper(), target)
    first = next((ch for ch in found if ch.isalpha()), "")
    if first.isupper():
        i = next(k for k, ch in enumerate(target) if ch.isalpha())
        return target[:i] + target[i].upper() + target[i + 1 :]
    return target


def swap_text(text: str, pairs: Sequence[Pair]) -> Swapped:
    """Exchange the names of ``pairs`` in both directions, in one pass over ``text``."""
    m = _matcher(tuple(pairs))
    found = [
        (mt.start(), mt.end(), mt.group(), m.keys[(mt.lastindex or 1) - 1])
        for mt in m.regex.finditer(text)
    ]
    if not found:
        return Swapped(text, text)
    present = {k for *_, k in found}
    choice = {
        k: next((p for p in m.partners[k] if p[0] in present), m.partners[k][0]) for k in present
    }
    out: list[str] = []
    reps: list[Replacement] = []
    pos = delta = 0
    for start, end, old, key in found:
        target, group = choice[key]
        new = _recase(old, m.spelling[key], m.spelling[target])
        out += [text[pos:start], new]
        new_start = start + delta
        reps.append(Replacement(start, end, new_start, new_start + len(new), group, old, new))
        delta += len(new) - (end - start)
        pos = end
    out.append(text[pos:])
    return Swapped(text, "".join(out), tuple(reps))


Segment = tuple[int, int, int, int]  # (from_start, from_end, to_start, to_end)


def _map(pos: int, segments: Iterable[Segment], *, is_end: bool) -> int:
    delta = 0
    for s0, s1, t0, t1 in segments:
        if pos >= s1:
            delta = t1 - s1
            continue
        if s0 < pos:  # strictly inside a replaced name: snap to that name's edge
            return t1 if is_end else t0
        break
    return pos + delta


def _check_range(start: int, end: int, length: int) -> None:
    if not (0 <= start <= end <= length):
        raise ValueError(f"span {start}..{end} is outside a text of length {length}")


def map_back(swapped: Swapped, start: int, end: int) -> tuple[int, int]:
    """Offsets in ``swapped.text`` -> offsets in ``swapped.original``.

    Positions outside the exchanged names shift by the length differences before them; a start
    inside a name maps to the start of the original name, an end inside one to its end.
    """
    _check_range(start, end, len(swapped.text))
    segs = [(r.new_start, r.new_end, r.orig_start, r.orig_end) for r in swapped.replacements]
    return _map(start, segs, is_end=False), _map(end, segs, is_end=True)


def map_forward(swapped: Swapped, start: int, end: int) -> tuple[int, int]:
    """Offsets in ``swapped.original`` -> offsets in ``swapped.text`` (as :func:`map_back`)."""
    _check_range(start, end, len(swapped.original))
    segs = [(r.orig_start, r.orig_end, r.new_start, r.new_end) for r in swapped.replacements]
    return _map(start, segs, is_end=False), _map(end, segs, is_end=True)


# -- the audit -------------------------------------------------------------------------------


class Detector(Protocol):
    def detect(self, text: str) -> list[Span]:
        """Technique spans of a text (offsets into ``text``)."""
        ...


def read_texts(data: Path, split: str = "dev") -> list[tuple[str, str]]:
    """``(id, text)`` of a PTC folder's ``<split>-articles/``, or of a plain folder of ``.txt``
    files when it has no such subfolder."""
    require_dir(data)
    folder = data / f"{split}-articles"
    docs = read_articles(folder if folder.is_dir() else data)
    if not docs:
        raise PropscopeError(
            Code.FILE_NOT_FOUND,
            f"no texts: neither a {split}-articles/ folder with .txt files nor .txt files",
            path=str(data),
        )
    return [(d.id, d.text) for d in docs.values()]


def match_spans(a: Sequence[Span], b: Sequence[Span]) -> list[tuple[int, int]]:
    """Pairs ``(i, j)`` of overlapping spans, matched greedily by largest overlap (on a tie, the
    same technique first); each span is in at most one pair."""
    cands: list[tuple[int, bool, int, int]] = []
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            overlap = min(x.end, y.end) - max(x.start, y.start)
            if overlap > 0:
                cands.append((-overlap, x.technique != y.technique, i, j))
    cands.sort()
    used_a: set[int] = set()
    used_b: set[int] = set()
    out: list[tuple[int, int]] = []
    for _, _, i, j in cands:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            out.append((i, j))
    return sorted(out)


@dataclass
class _Tally:
    texts: int = 0
    names: int = 0
    original: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    swapped: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    matched: int = 0
    same: int = 0

    def add(
        self, tid: str, names: int, orig: list[Span], back: list[Span], matched: int, same: int
    ) -> None:
        self.texts += 1
        self.names += names
        self.original[tid] = [(s.start, s.end) for s in orig]
        self.swapped[tid] = [(s.start, s.end) for s in back]
        self.matched += matched
        self.same += same

    def to_dict(self) -> dict[str, Any]:
        si = si_score(self.swapped, self.original)
        return {
            "texts": self.texts,
            "names_swapped": self.names,
            "spans_original": sum(len(v) for v in self.original.values()),
            "spans_swapped": sum(len(v) for v in self.swapped.values()),
            "matched": self.matched,
            "same_technique": self.same,
            "span_agreement": si.f1,
            "span_precision": si.precision,
            "span_recall": si.recall,
            "technique_agreement": self.same / self.matched if self.matched else None,
        }


@dataclass(frozen=True)
class _Change:
    tid: str
    kind: str  # technique, missing, new, boundary
    start: int
    end: int
    before: str | None
    after: str | None
    magnitude: float
    score: float


def _changes(
    tid: str, orig: list[Span], back: list[Span], pairs: list[tuple[int, int]]
) -> list[_Change]:
    out: list[_Change] = []
    for i, j in pairs:
        x, y = orig[i], back[j]
        if x.technique != y.technique:
            score = max(x.score, y.score)
            out.append(
                _Change(tid, "technique", x.start, x.end, x.technique, y.technique, 1.0, score)
            )
        elif (x.start, x.end) != (y.start, y.end):
            inter = min(x.end, y.end) - max(x.start, y.start)
            union = max(x.end, y.end) - min(x.start, y.start)
            out.append(
                _Change(
                    tid,
                    "boundary",
                    x.start,
                    x.end,
                    x.technique,
                    y.technique,
                    1.0 - inter / union,
                    max(x.score, y.score),
                )
            )
    for i in sorted(set(range(len(orig))) - {i for i, _ in pairs}):
        x = orig[i]
        out.append(_Change(tid, "missing", x.start, x.end, x.technique, None, 1.0, x.score))
    for j in sorted(set(range(len(back))) - {j for _, j in pairs}):
        y = back[j]
        out.append(_Change(tid, "new", y.start, y.end, None, y.technique, 1.0, y.score))
    return out


def _names_near(sw: Swapped, start: int, end: int, sentences: list[tuple[int, int]]) -> list[str]:
    """The exchanges made in the sentence(s) a span touches (the span itself if none)."""
    lo, hi = start, end
    for b, e in sentences:
        if b < end and start < e:
            lo, hi = min(lo, b), max(hi, e)
    names = [
        f"{r.old} -> {r.new}" for r in sw.replacements if r.orig_start < hi and lo < r.orig_end
    ]
    return list(dict.fromkeys(names))


def audit(
    model: Detector,
    texts: Iterable[tuple[str, str]],
    pairs: Sequence[Pair],
    *,
    top: int = TOP_CHANGES,
) -> dict[str, Any]:
    """Run ``model`` on each text that names someone in ``pairs`` and on its swapped copy, map
    the copy's spans back, and report how far the two agree, overall and per pair group.

    * ``span_agreement``: the SI F1 of the mapped copy's spans against the original's (all
      affected texts together);
    * ``technique_agreement``: among span pairs matched by overlap (greedy, largest first), the
      share with the same technique (``None`` when nothing matched);
    * a text counts toward every group swapped in it; texts with no name are counted and
      skipped;
    * ``changed_spans``: up to ``top`` spans that changed most (a technique changed, a span went
      missing or is new, then spans whose boundaries moved most), with the exchanges made in
      their sentence.
    """
    from propscope.segment.sentences import split_sentences

    overall = _Tally()
    groups: dict[str, _Tally] = {}
    changes: list[_Change] = []
    swapped_by_id: dict[str, Swapped] = {}
    total = 0
    for tid, text in texts:
        total += 1
        sw = swap_text(text, pairs)
        if not sw.changed:
            continue
        swapped_by_id[tid] = sw
        orig = sorted(model.detect(text), key=lambda s: (s.start, s.end, s.technique))
        back = sorted(
            (
                Span(*map_back(sw, s.start, s.end), s.technique, s.score)
                for s in model.detect(sw.text)
            ),
            key=lambda s: (s.start, s.end, s.technique),
        )
        matched = match_spans(orig, back)
        same = sum(1 for i, j in matched if orig[i].technique == back[j].technique)
        overall.add(tid, len(sw.replacements), orig, back, len(matched), same)
        for group, n in Counter(r.group for r in sw.replacements).items():
            groups.setdefault(group, _Tally()).add(tid, n, orig, back, len(matched), same)
        changes += _changes(tid, orig, back, matched)

    changes.sort(key=lambda c: (-c.magnitude, -c.score, c.tid, c.start, c.end))
    changed: list[dict[str, Any]] = []
    sentences: dict[str, list[tuple[int, int]]] = {}
    for c in changes[: max(top, 0)]:
        sw = swapped_by_id[c.tid]
        if c.tid not in sentences:
            sentences[c.tid] = split_sentences(sw.original)
        changed.append(
            {
                "id": c.tid,
                "change": c.kind,
                "start": c.start,
                "end": c.end,
                "text": sw.original[c.start : c.end],
                "before": c.before,
                "after": c.after,
                "score": round(float(c.score), 4),
                "names": _names_near(sw, c.start, c.end, sentences[c.tid]),
            }
        )
    info = getattr(model, "info", None)
    return {
        "schema": SCHEMA,
        "model": None if info is None else {"name": info.name, "version": info.version},
        "texts": total,
        "swapped_texts": overall.texts,
        "skipped_texts": total - overall.texts,
        "overall": overall.to_dict(),
        "groups": {g: groups[g].to_dict() for g in sorted(groups)},
        "changes": {k: sum(1 for c in changes if c.kind == k) for k in _KINDS},
        "changed_spans": changed,
    }
