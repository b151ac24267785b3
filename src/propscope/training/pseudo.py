"""Machine-labelled articles for self-training: a teacher detector labels unlabeled news.

Records are JSONL, one article per line: ``{"id", "text", "spans": [[start, end, technique,
score], ...]}`` with Python ``str`` offsets into ``text``.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from propscope.corpus.ptc import Document, GoldSpan
from propscope.model import Model


def _open(path: Path) -> TextIO:
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8")
    return path.open(encoding="utf-8")


def read_news(path: Path, limit: int = 0) -> Iterator[tuple[str, str]]:
    """(id, text) of the first ``limit`` (0: all) articles of a JSONL file (``.gz`` too) with
    ``id`` and ``text``, leaving out those that share a sentence with PTC."""
    n = 0
    with _open(path) as f:
        for line in f:
            if limit and n >= limit:
                return
            rec = json.loads(line)
            if rec.get("ptc_sentence_overlap"):
                continue
            n += 1
            yield str(rec["id"]), str(rec["text"])


def label_articles(
    model: Model, articles: Iterator[tuple[str, str]], out: Path, log: Any = print
) -> dict[str, int]:
    docs = spans = 0
    with out.open("w", encoding="utf-8") as f:
        for aid, text in articles:
            found = model.detect(text)
            rec = {
                "id": aid,
                "text": text,
                "spans": [[s.start, s.end, s.technique, round(s.score, 4)] for s in found],
            }
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
            docs += 1
            spans += len(found)
            if docs % 500 == 0:
                log(f"labelled {docs} articles, {spans} spans")
    return {"articles": docs, "spans": spans}


def read_pseudo(path: Path) -> list[Document]:
    out = []
    with _open(path) as f:
        for line in f:
            rec = json.loads(line)
            text = rec["text"]
            spans = [
                GoldSpan(int(s), int(e), str(t))
                for s, e, t, *_ in rec["spans"]
                if 0 <= int(s) < int(e) <= len(text)
            ]
            out.append(Document(str(rec["id"]), text, str(path), spans))
    return out
