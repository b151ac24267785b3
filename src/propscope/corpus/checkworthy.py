"""Every check-worthiness data set in ``../shared/data``, read into one shape.

Each set labels sentences (or tweets) as check-worthy or not, with its own convention:

- **CT24** (CLEF CheckThat! 2024 Task 1, English; train and dev are ClaimBuster's crowdsourced
  and ground-truth sets): ``Yes`` when annotators judged the sentence a check-worthy factual
  claim. Sentence-level, about a quarter positive. ``convention = "judged"``.
- **ClaimBuster** two-class files: label 1 = check-worthy factual sentence (CFS), 0 = not
  (NCS). Every sentence is also in CT24 train or dev under the same id, so it adds no text:
  ``read_claimbuster`` returns only what CT24 lacks (nothing, in the shipped copy).
- **CLEF 2019 Task 1** and **CLEF 2020 Task 5** (debates and speeches): 1 when a fact-checking
  organisation chose the sentence to check. A 0 is "not chosen", which includes many checkable
  sentences, so these negatives are noisy and rare positives (1-3%) are the signal.
  ``convention = "selected"``.
- **CLEF 2020 Task 1** (COVID-19 tweets): 1 when annotators judged the tweet worth checking.
  ``convention = "judged"``.

The CLEF sets are ranked per document (debate) with MAP as the official metric; ``group`` keeps
the document so that MAP can be computed as the organisers did.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from propscope.corpus.ct24 import find_split, read_tsv
from propscope.corpus.text import read_text


@dataclass(frozen=True)
class CwSentence:
    text: str
    label: bool
    source: str  # data set and split, e.g. "ct24/train", "clef2019/test"
    group: str  # the document (debate, topic) a sentence is ranked within
    id: str


def norm_text(text: str) -> str:
    """Lower case, letters and digits only: the key for finding one sentence in two sets."""
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def read_ct24(data: Path, split: str) -> list[CwSentence]:
    return [
        CwSentence(r.text, r.label, f"ct24/{split}", "ct24", r.id)
        for r in read_tsv(find_split(data, split))
    ]


def _read_debate(path: Path, source: str) -> list[CwSentence]:
    out = []
    for line in read_text(path).split("\n"):
        parts = line.rstrip("\r").split("\t")
        if len(parts) < 4 or not parts[0].strip().isdigit():
            continue
        out.append(
            CwSentence(
                parts[2], parts[3].strip() == "1", source, path.stem, f"{path.stem}:{parts[0]}"
            )
        )
    return out


def read_clef_debates(folder: Path, source: str) -> list[CwSentence]:
    """Every ``line_no<TAB>speaker<TAB>text<TAB>label`` file in a folder, in name order."""
    rows: list[CwSentence] = []
    for path in sorted(folder.glob("*.tsv")):
        rows += _read_debate(path, source)
    return rows


def read_clef_tweets(path: Path, source: str) -> list[CwSentence]:
    """CLEF 2020 Task 1: ``topic_id, tweet_id, tweet_url, tweet_text, claim, check_worthiness``
    (the last column is ``claim_worthiness`` in the test gold)."""
    lines = read_text(path).split("\n")
    head = lines[0].rstrip("\r").split("\t")
    ti, li = head.index("tweet_text"), len(head) - 1
    out = []
    for line in lines[1:]:
        parts = line.rstrip("\r").split("\t")
        if len(parts) != len(head):
            continue
        out.append(CwSentence(parts[ti], parts[li].strip() == "1", source, parts[0], parts[1]))
    return out


def read_claimbuster(folder: Path, known_ids: set[str]) -> list[CwSentence]:
    """ClaimBuster's two-class sentences whose id is not in ``known_ids`` (CT24's)."""
    out: dict[str, CwSentence] = {}
    for name in ("kfold_30ncs.json", "train.json", "test.json"):
        path = folder / "data" / "two_class" / name
        if not path.is_file():
            continue
        for r in json.loads(read_text(path)):
            sid = str(r["sentence_id"])
            if sid not in known_ids and sid not in out:
                out[sid] = CwSentence(r["text"], r["label"] == 1, "claimbuster", "claimbuster", sid)
    return list(out.values())


@dataclass(frozen=True)
class CwData:
    """All sets by name; training sets have had any sentence of an evaluation set removed."""

    train: dict[str, list[CwSentence]]
    evaluation: dict[str, list[CwSentence]]


def load_all(root: Path) -> CwData:
    """The sets under a ``shared/data`` folder. Training: CT24 train, CLEF 2019 training,
    CLEF 2020 Task 5 training (documents already in CLEF 2019's training left out), CLEF 2020
    Task 1 training tweets, ClaimBuster (what CT24 lacks). Evaluation: CT24 dev and dev-test,
    CLEF 2019 test, CLEF 2020 Task 5 test, CLEF 2020 Task 1 dev and test."""
    ct = root / "ct24-checkworthy-english"
    c19 = root / "clef2019-checkthat-task1" / "data"
    c20 = root / "clef2020-checkthat-task5"
    t20 = root / "clef2020-checkthat-task1"
    evaluation = {
        "ct24/dev": read_ct24(ct, "dev"),
        "ct24/dev-test": read_ct24(ct, "dev-test"),
        "clef2019/test": read_clef_debates(c19 / "test_annotated", "clef2019/test"),
        "clef2020t5/test": read_clef_debates(c20 / "test-input" / "test-gold", "clef2020t5/test"),
        "clef2020t1/dev": read_clef_tweets(t20 / "data" / "v2" / "dev_v2.tsv", "clef2020t1/dev"),
        "clef2020t1/test": read_clef_tweets(
            t20 / "test-input" / "test-input" / "test-gold.tsv", "clef2020t1/test"
        ),
    }
    ct_train = read_ct24(ct, "train")
    known = {r.id for r in ct_train} | {r.id for r in evaluation["ct24/dev"]}
    known |= {r.id for r in evaluation["ct24/dev-test"]}
    train = {
        "ct24/train": ct_train,
        "clef2019/train": read_clef_debates(c19 / "training", "clef2019/train"),
        "clef2020t5/train": read_clef_debates(
            c20 / "data" / "v2.0" / "training", "clef2020t5/train"
        ),
        "clef2020t1/train": read_clef_tweets(
            t20 / "data" / "v2" / "training_v2.tsv", "clef2020t1/train"
        ),
        "claimbuster": read_claimbuster(root / "claimbuster", known),
    }
    held = {norm_text(r.text) for rows in evaluation.values() for r in rows}
    seen19 = {norm_text(r.text) for r in train["clef2019/train"]}
    for name, rows in train.items():
        keep = [r for r in rows if norm_text(r.text) not in held]
        if name == "clef2020t5/train":  # the documents CLEF 2019 already has
            keep = _drop_seen_documents(keep, seen19)
        train[name] = keep
    return CwData(train, evaluation)


def _drop_seen_documents(rows: list[CwSentence], seen: set[str]) -> list[CwSentence]:
    by_doc: dict[str, list[CwSentence]] = {}
    for r in rows:
        by_doc.setdefault(r.group, []).append(r)
    out: list[CwSentence] = []
    for doc in by_doc.values():
        share = sum(norm_text(r.text) in seen for r in doc) / len(doc)
        if share < 0.5:
            out += doc
    return out


def groups(rows: Iterable[CwSentence]) -> dict[str, list[int]]:
    """Indices of ``rows`` by document."""
    out: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        out.setdefault(r.group, []).append(i)
    return out
