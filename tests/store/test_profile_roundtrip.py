"""The profile (with its author and quoted parts, schema propscope.analysis/2) is stored as
JSON and reads back equal, on SQLite and on PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import propscope
from propscope.corpus.documents import Document
from propscope.store.db import open_database
from propscope.store.queries import document_json, stored_analysis
from propscope.store.writer import Status, Writer

TINY = Path(__file__).resolve().parents[1] / "fixtures" / "tiny-model"
TEXT = 'Smith said: "They are evil thugs and liars." We stay calm.\nThe council met on Monday.\n'


def test_the_profile_by_voice_reads_back_equal(db_url: str) -> None:
    a = propscope.load(TINY).analyze(TEXT)
    assert a.profile["quoted"]["words"] > 0 and a.profile["author"]["words"] > 0
    db = open_database(db_url)
    w = Writer(db, a.model)
    assert w.write(Document("d1", TEXT, "in.jsonl:1"), a) is Status.NEW
    w.finish({"documents": 1})
    back = stored_analysis(db, "d1")
    assert back is not None
    assert back.profile == a.profile
    # the store keeps no quoted column for sentences: the reader finds the quotes again
    assert [s.quoted for s in a.sentences] == [True, False, False]
    assert back.sentences == a.sentences
    assert document_json(db, "d1")["profile"] == a.to_dict()["profile"]
    db.close()
