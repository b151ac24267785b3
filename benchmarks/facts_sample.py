"""Precision of fact kinds, checked by hand on 200 facts from unlabeled news, before and after
the rules of GitHub issue #13 (deliverable 4), and on a held-out sample of 100 more.

    .venv/bin/python benchmarks/facts_sample.py --report   # precision from the judged TSV
    .venv/bin/python benchmarks/facts_sample.py --write [--sample main|holdout] [--versions ...]
                                                          # (re)build a sample, keep verdicts
    .venv/bin/python benchmarks/facts_sample.py --speed    # extract_facts_batch time, both

``--report`` needs only the TSV (``benchmarks/facts_sample.tsv``); ``--write`` and ``--speed``
need the data file, spaCy's model and git (the "before" extractor is read from git).

How a sample is drawn (fixed; the same sentences for both versions)
--------------------------------------------------------------------
1. The first :data:`N_ARTICLES` articles (lines) of :data:`DATA`, a JSONL file whose ``text``
   field holds the article and ``id`` its id.
2. The articles are shuffled with ``random.Random(SEED)``; from each, in that order, one sentence
   is drawn with the same generator among its sentences of at least :data:`MIN_WORDS` words
   (``propscope.segment.sentences.split_sentences``). So the sentences are spread over
   articles, one per article, and do not depend on the extractor.
3. Each version runs ``extract_facts_batch(article_text, [sentence])`` on every drawn sentence.
4. Each version walks the same sentence list in the same order and takes one fact from each
   sentence where it finds any, until it has :data:`N_FACTS`: the fact whose
   ``sha256(article id, sentence start, fact start, fact end, kind)`` is smallest. The choice is
   thus pseudo-random but does not depend on the other facts of the sentence, so a fact that
   both versions find is picked by both where it is the smallest in both. A sentence where a
   version finds nothing gives it no row, so the two versions' last sentences may differ.

"before" is the extractor at commit :data:`BEFORE_COMMIT` (``facts.py`` and ``_speech.py`` read
with ``git show`` into temporary modules); "after" is the working tree's
``propscope.claims.facts``. One fact per sentence weighs facts of fact-poor sentences more than
facts of dense ones: the figures are precision per sampled sentence-fact, not per fact of the
corpus.

The main sample (ids ``b001``/``a001``...) was judged first and its "before" errors were looked
at while the rules were written, so its "after" figure is optimistic. The held-out sample (ids
``hb001``/``ha001``...; articles ``HOLDOUT_OFFSET`` to ``HOLDOUT_OFFSET + HOLDOUT_ARTICLES``,
seed :data:`HOLDOUT_SEED`, :data:`HOLDOUT_FACTS` facts per version) was drawn and judged only
after the rules were final, and no rule was changed after it: it is the fairer estimate.

Judging guidelines (a person fills in ``verdict``, ``correct_kind`` and ``note``)
-------------------------------------------------------------------------------
Every row was read with its sentence (and, where the sentence did not say who a name is, the
article) and judged by hand; the code under test never fills in a verdict. An "after" row that
is the same fact (same sentence, same text, same kind) as a "before" row carries the verdict
given to that row, and its note says "same fact as bNNN".

The question is: is this span, in this sentence, a checkable fact of this kind? ``verdict`` is
``ok`` or ``wrong``; when wrong, ``correct_kind`` is the kind it should have had, ``none``
when it is no checkable fact of any kind, and the note says why. A span that is badly cut (part
of a name, "Trump said" as a person, a possessive or a verb glued on, two names as one) is
wrong even when its kind is right (``correct_kind`` is then the kind, and the note says
"span"). A leading "the" or a modifier that belongs to the fact ("at least one", "Only four")
is fine. A date or number that is part of a name ("USA Today", "Fox News Sunday", "the 1619
Project", "the Sixteen Thirty Fund") is wrong.

* quantity: a number, amount, count, share, age or measure stated in the sentence (number words
  and vague counts such as "dozens" included). Wrong: "one" as a pronoun or indefinite ("one
  of our friends", "one woman said"), a list number, a number that is part of a name
  ("49ers"), a year or date.
* date: a time expression one can check: a calendar date, weekday, month, year, time of day,
  a date relative to the article ("last week", "yesterday", "two years ago") or a stated length
  of time ("seven years", "more than a year"). Wrong: vague time ("overnight", "recently",
  "now", "for decades", "any minute", "the early days", "months"), frequencies ("daily"),
  ages ("45 years old" is a quantity), numbers that are not times.
* person: the name of a specific person (with or without a title), also where it names a
  person's campaign, report or era ("the Trump campaign", "the Mueller report"). Wrong:
  groups, pronouns, organisations, places, diseases, products.
* organization: the name of a specific organisation: company, agency, ministry, court,
  parliament, party, union, university, school, library, hospital, media outlet, team,
  "the White House" or "the Kremlin" used for the government. Wrong: people, places used as
  places, nationalities, generic nouns ("an advocacy PAC"), ideologies, laws, protocols,
  events, titles of works, a party that does not exist ("a New Democratic Party").
* place: the name of a country, state, city, region, geographic feature, street, building or
  facility used as a location; also a place that names an event or agreement after it ("the
  Paris attacks"). A country used for its government ("Russia said") counts as a place
  (spaCy's GPE covers both, and it is checkable either way).
* attribution: the phrase that names the speaker or source of a reported statement ("X said",
  "said X", "according to X", "X told reporters", "the letter said"): ok when the phrase
  really attributes a statement and holds the whole speaker. Wrong: a verb that does not
  report speech there ("he has maintained a stately mien", "the country responded the last
  time"), a noun taken for a verb ("other battleground states", "The LAPD's reported"), a
  hypothetical ("when we say that"), a speaker cut or run on.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from propscope.segment.sentences import split_sentences
from propscope.types import Fact

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared/data/unlabeled-news/allsides_abp_2015-2020.part-01-of-03.jsonl"
TSV = Path(__file__).with_name("facts_sample.tsv")
BEFORE_COMMIT = "27d19007423f82eb1ce124a76b0937134aa82278"
SEED = 13
N_ARTICLES = 400
N_FACTS = 200
MIN_WORDS = 5
# the held-out sample: the next articles of the same file, another seed, drawn and judged only
# after the rules were final (the rules were written while looking at the main sample's errors)
HOLDOUT_OFFSET = N_ARTICLES
HOLDOUT_ARTICLES = 600
HOLDOUT_SEED = 14
HOLDOUT_FACTS = 100
VERSIONS = ("before", "after")
KINDS = ("quantity", "date", "person", "organization", "place", "attribution")
COLUMNS = (
    "id",
    "version",
    "article_id",
    "fact",
    "kind",
    "sentence",
    "verdict",
    "correct_kind",
    "note",
)
HEADER = """\
# Precision of fact kinds on unlabeled news (GitHub issue #13), checked by hand: 200 facts per
# version (ids b/a), and a held-out 100 per version drawn after the rules were final (ids hb/ha).
# How the samples are drawn and what counts as correct for each kind: see the docstring of
# benchmarks/facts_sample.py. verdict: ok | wrong; correct_kind (when wrong): the right kind,
# or none when the span is no checkable fact; a badly cut span is wrong ("span" in the note).
# An after row that is the same fact in the same sentence as a before row carries its verdict.
"""

Extract = Callable[[str, Sequence[tuple[int, int]]], list[list[Fact]]]


@dataclass(frozen=True)
class Drawn:
    """One sampled sentence: its article and its offsets into the article's text."""

    article_id: str
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Sample:
    """Where a sample is drawn from: articles ``[offset, offset + n_articles)`` of
    :data:`DATA`, the seed, how many facts per version and the prefix of its row ids."""

    name: str
    offset: int
    n_articles: int
    seed: int
    n_facts: int
    prefix: str


SAMPLES = {
    "main": Sample("main", 0, N_ARTICLES, SEED, N_FACTS, ""),
    "holdout": Sample(
        "holdout", HOLDOUT_OFFSET, HOLDOUT_ARTICLES, HOLDOUT_SEED, HOLDOUT_FACTS, "h"
    ),
}


def read_articles(path: Path, n: int, offset: int = 0) -> list[tuple[str, str]]:
    """(id, text) of the articles ``[offset, offset + n)`` of the JSONL file."""
    out: list[tuple[str, str]] = []
    with path.open(encoding="utf-8") as f:
        for i, line in enumerate(f):
            if len(out) >= n:
                break
            if i >= offset:
                d = json.loads(line)
                out.append((str(d["id"]), str(d["text"])))
    return out


def sample_of(row: dict[str, str]) -> str:
    """The sample a TSV row belongs to, by its id's prefix."""
    return "holdout" if row["id"].startswith("h") else "main"


def draw_sentences(articles: list[tuple[str, str]], seed: int = SEED) -> list[Drawn]:
    """One sentence from each article, articles in a seeded random order."""
    rng = random.Random(seed)
    order = list(range(len(articles)))
    rng.shuffle(order)
    out: list[Drawn] = []
    for i in order:
        aid, text = articles[i]
        sents = [(a, b) for a, b in split_sentences(text) if len(text[a:b].split()) >= MIN_WORDS]
        if sents:
            a, b = rng.choice(sents)
            out.append(Drawn(aid, text, a, b))
    return out


def load_before(commit: str = BEFORE_COMMIT) -> ModuleType:
    """``propscope.claims.facts`` as it was at ``commit``, with that commit's ``_speech``."""

    def show(path: str) -> str:
        return subprocess.run(
            ["git", "show", f"{commit}:{path}"],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    with tempfile.TemporaryDirectory(prefix="facts_before_") as d:
        tmp = Path(d)
        (tmp / "_facts_before_speech.py").write_text(show("src/propscope/claims/_speech.py"))
        facts = show("src/propscope/claims/facts.py")
        facts = facts.replace(
            "from propscope.claims._speech import", "from _facts_before_speech import"
        )
        (tmp / "_facts_before.py").write_text(facts)
        sys.path.insert(0, d)
        try:
            spec = importlib.util.spec_from_file_location("_facts_before", tmp / "_facts_before.py")
            assert spec is not None and spec.loader is not None
            module = importlib.util.module_from_spec(spec)
            sys.modules["_facts_before"] = module
            spec.loader.exec_module(module)  # imports _facts_before_speech from the same folder
        finally:
            sys.path.remove(d)
    return module


def extractors() -> dict[str, Extract]:
    from propscope.claims import facts as after

    before = load_before()
    return {"before": before.extract_facts_batch, "after": after.extract_facts_batch}


def _key(d: Drawn, f: Fact) -> str:
    raw = f"{d.article_id}:{d.start}:{f.start}:{f.end}:{f.kind}".encode()
    return hashlib.sha256(raw).hexdigest()


def _clean(s: str) -> str:
    return " ".join(s.replace("\t", " ").splitlines())


def sample_rows(
    drawn: list[Drawn], extract: Extract, version: str, sample: Sample = SAMPLES["main"]
) -> list[dict[str, str]]:
    """One fact from each sentence with any, in the drawn order, until ``sample.n_facts``."""
    rows: list[dict[str, str]] = []
    for d in drawn:
        if len(rows) >= sample.n_facts:
            break
        facts = extract(d.text, [(d.start, d.end)])[0]
        if not facts:
            continue
        f = min(facts, key=lambda f: _key(d, f))
        rows.append(
            {
                "id": f"{sample.prefix}{version[0]}{len(rows) + 1:03d}",
                "version": version,
                "article_id": d.article_id,
                "fact": _clean(d.text[f.start : f.end]),
                "kind": f.kind,
                "sentence": _clean(d.text[d.start : d.end]),
                "verdict": "",
                "correct_kind": "",
                "note": "",
            }
        )
    return rows


def _row_key(r: dict[str, str]) -> tuple[str, ...]:
    return (r["version"], r["article_id"], r["sentence"], r["fact"], r["kind"])


def read_tsv(path: Path = TSV) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if not ln.startswith("#")]
    header = lines[0].split("\t")
    assert tuple(header) == COLUMNS, f"unexpected columns: {header}"
    for ln in lines[1:]:
        if ln.strip():
            cells = ln.split("\t")
            cells += [""] * (len(COLUMNS) - len(cells))
            rows.append(dict(zip(COLUMNS, cells, strict=True)))
    return rows


def write_tsv(rows: list[dict[str, str]], path: Path = TSV) -> None:
    with path.open("w", encoding="utf-8") as f:
        f.write(HEADER)
        f.write("\t".join(COLUMNS) + "\n")
        for r in rows:
            f.write("\t".join(_clean(r[c]) for c in COLUMNS) + "\n")


def write(versions: Sequence[str], sample: Sample) -> None:
    """Build ``sample`` for ``versions`` and write the TSV; verdicts already given to the same
    (version, article, sentence, fact, kind) are kept, rows of other versions or samples are
    kept as they are."""
    old = read_tsv() if TSV.exists() else []
    judged = {_row_key(r): r for r in old}
    drawn = draw_sentences(read_articles(DATA, sample.n_articles, sample.offset), sample.seed)
    ex = extractors()
    rows = [r for r in old if r["version"] not in versions or sample_of(r) != sample.name]
    for v in versions:
        for r in sample_rows(drawn, ex[v], v, sample):
            prev = judged.get(_row_key(r))
            if prev is not None:
                r.update({c: prev[c] for c in ("verdict", "correct_kind", "note")})
            rows.append(r)
    rows.sort(key=lambda r: (sample_of(r) != "main", VERSIONS.index(r["version"]), r["id"]))
    write_tsv(rows)
    todo = sum(1 for r in rows if r["verdict"] not in ("ok", "wrong"))
    print(f"wrote {len(rows)} rows to {TSV} ({todo} not yet judged)")


def report() -> None:
    for name in SAMPLES:
        rows = [r for r in read_tsv() if sample_of(r) == name]
        if rows:
            print(f"--- {name} sample ---")
            _report(rows)


def _report(rows: list[dict[str, str]]) -> None:
    print(f"{'':14}" + "".join(f"{v:>22}" for v in VERSIONS))
    for kind in ("all", *KINDS):
        cells = []
        for v in VERSIONS:
            rs = [r for r in rows if r["version"] == v and kind in ("all", r["kind"])]
            checked = [r for r in rs if r["verdict"] in ("ok", "wrong")]
            ok = sum(r["verdict"] == "ok" for r in checked)
            if checked:
                cells.append(f"{ok / len(checked):.3f} ({ok:>3}/{len(checked):>3})")
            else:
                cells.append("-")
        print(f"{kind:14}" + "".join(f"{c:>22}" for c in cells))
    for v in VERSIONS:
        rs = [r for r in rows if r["version"] == v]
        todo = sum(r["verdict"] not in ("ok", "wrong") for r in rs)
        errors = Counter(
            f"{r['kind']}->{r['correct_kind'] or '?'}" for r in rs if r["verdict"] == "wrong"
        )
        print(f"{v}: {len(rs)} rows, {todo} not judged; errors: {dict(errors.most_common())}")


def speed(n_sentences: int = 200, repeat: int = 9) -> None:
    """Time both versions on every sentence of the first sampled articles (about
    ``n_sentences`` sentences, one ``extract_facts_batch`` call per article as in the
    pipeline), the versions interleaved, median of ``repeat`` runs of this process's CPU time
    (the machine may be shared): the whole call, and the part after the model (regexes, rules,
    attribution phrases) on the same model output."""
    from propscope.claims import facts as after_module

    drawn = draw_sentences(read_articles(DATA, N_ARTICLES))
    work: list[tuple[str, list[tuple[int, int]]]] = []
    total = 0
    for d in drawn:
        if total >= n_sentences:
            break
        sents = split_sentences(d.text)
        work.append((d.text, sents))
        total += len(sents)
    modules = {"before": load_before(), "after": after_module}
    # one model for both, so that the comparison measures the rules, not two model instances
    modules["before"]._nlp = after_module.load_nlp()
    for m in modules.values():
        m.extract_facts_batch("Warm up, said Smith on Monday.", [(0, 30)])
    nlp = after_module.load_nlp()
    ents = [
        [list(after_module._entities(nlp(text[a:b]), a)) for a, b in sents] for text, sents in work
    ]
    whole: dict[str, list[float]] = {v: [] for v in modules}
    rules: dict[str, list[float]] = {v: [] for v in modules}
    for _ in range(repeat):
        for v, m in modules.items():
            t0 = time.process_time()
            for text, sents in work:
                m.extract_facts_batch(text, sents)
            whole[v].append(time.process_time() - t0)
            t0 = time.process_time()
            for (text, sents), found in zip(work, ents, strict=True):
                if v == "after":
                    titled = m._titled_surnames(text)
                    for (a, b), f in zip(sents, found, strict=True):
                        m._facts(text, a, b, f, titled)
                else:
                    for (a, b), f in zip(sents, found, strict=True):
                        m._facts(text, a, b, f)
            rules[v].append(time.process_time() - t0)
    med = {v: (statistics.median(whole[v]), statistics.median(rules[v])) for v in modules}
    print(f"{total} sentences in {len(work)} articles, median of {repeat} runs:")
    for v, (w, r) in med.items():
        print(
            f"  {v:7} extract_facts_batch {w * 1000:8.1f} ms   after the model {r * 1000:7.1f} ms"
        )
    added = med["after"][1] - med["before"][1]
    print(
        f"  after / before (whole call) = {med['after'][0] / med['before'][0]:.3f}; the rules "
        f"add {added * 1000:.1f} ms = {added / med['before'][0]:.1%} of the before call"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--write", action="store_true", help="build the sample and write the TSV")
    g.add_argument("--report", action="store_true", help="precision from the judged TSV")
    g.add_argument("--speed", action="store_true", help="time both extractors")
    ap.add_argument("--versions", nargs="+", choices=VERSIONS, default=list(VERSIONS))
    ap.add_argument("--sample", choices=list(SAMPLES), default="main")
    args = ap.parse_args()
    if args.write:
        write(args.versions, SAMPLES[args.sample])
    elif args.report:
        report()
    else:
        speed()


if __name__ == "__main__":
    main()
