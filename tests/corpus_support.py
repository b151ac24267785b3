"""A small corpus written by hand, and a dump of a corpus database to compare runs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import select

from propscope.store import schema as t
from propscope.store.db import open_database

TINY = Path(__file__).resolve().parent / "fixtures" / "tiny-model"

RECORDS: list[dict[str, Any]] = [
    {
        "id": f"doc{i}",
        "text": f"Story {i}. They are evil thugs, said the mayor on 3 May. "
        f"About {i * 100} people came.\nOur great nation must act now!",
        "source": ["Left Post", "Right Daily", "Wire"][i % 3],
        "date": f"2020-0{1 + i % 3}-1{i % 9}",
        "author": "Ann" if i % 2 else None,
        "title": f"Title {i}",
    }
    for i in range(12)
]
RECORDS[4]["text"] = ""  # an empty text is a valid document


def write_jsonl(path: Path, records: list[dict[str, Any]] = RECORDS, extra: str = "") -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records) + extra, encoding="utf-8")
    return path


def dump(url: str) -> dict[str, Any]:
    """Every document with its analysis and records, keyed by document id, without ids that
    differ between runs (analysis ids, times, run ids)."""
    db = open_database(url, migrate=False)
    out: dict[str, Any] = {}
    with db.engine.connect() as conn:
        docs = conn.execute(select(t.documents).order_by(t.documents.c.id)).mappings().all()
        for d in docs:
            rows = (
                conn.execute(select(t.analyses).where(t.analyses.c.document_id == d["id"]))
                .mappings()
                .all()
            )
            entry: dict[str, Any] = {
                # location: the input file, which differs between the runs compared
                "document": {k: v for k, v in d.items() if k not in ("added_at", "location")},
                "analyses": [],
            }
            for a in rows:
                rec: dict[str, Any] = {
                    k: v for k, v in a.items() if k not in ("id", "created_at", "run_id")
                }
                for table in (t.spans, t.sentences, t.claims, t.facts):
                    recs = (
                        conn.execute(select(table).where(table.c.analysis_id == a["id"]))
                        .mappings()
                        .all()
                    )
                    rec[table.name] = sorted(
                        tuple(sorted((k, v) for k, v in r.items() if k != "analysis_id"))
                        for r in recs
                    )
                entry["analyses"].append(rec)
            out[d["id"]] = entry
    db.close()
    return out
