"""Tables of the corpus database (SQLAlchemy Core). Alembic's migrations in ``migrations/``
create and change them; ``tests/store`` checks that the migrations give exactly these tables.

* ``documents``: one row per document id: its text, content hash (sha256 of the UTF-8 text),
  ``source``, ``date`` (parsed) and ``date_text`` (as given), ``author``, other metadata (JSON).
* ``analyses``: one row per document and model version (unique: document, model name, model
  version), with the hash of the text analysed, time, span threshold it was run at, the
  model's operating points, the profile and warnings (JSON), and per operating point how many
  sentences hold a span.
* ``spans``, ``sentences``, ``claims``, ``facts``: the analysis's records, keyed by analysis and
  position; offsets are Python ``str`` indices into ``documents.text``.
* ``runs`` and ``errors``: each ``propscope batch`` run and every input or analysis failure it
  met, with its file, line and byte.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

documents = Table(
    "documents",
    metadata,
    Column("id", String(512), primary_key=True),
    Column("sha256", String(64), nullable=False),
    Column("text", Text, nullable=False),
    Column("source", String(512), index=True),
    Column("date", Date, index=True),
    Column("date_text", String(128)),
    Column("author", String(512), index=True),
    Column("meta", JSON, nullable=False),
    Column("words", Integer, nullable=False),
    Column("chars", Integer, nullable=False),
    Column("location", Text, nullable=False),
    Column("added_at", DateTime(timezone=True), nullable=False),
)

analyses = Table(
    "analyses",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "document_id",
        String(512),
        ForeignKey("documents.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("sha256", String(64), nullable=False),
    Column("model_name", String(256), nullable=False),
    Column("model_version", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("run_id", Integer),
    Column("min_score", Float),
    Column("claims_threshold", Float),  # claims are the sentences scoring at least this
    Column("operating_points", JSON, nullable=False),
    Column("profile", JSON, nullable=False),
    Column("warnings", JSON, nullable=False),
    Column("n_sentences", Integer, nullable=False),
    Column("sentences_with_technique", JSON, nullable=False),
    Column("n_claims", Integer, nullable=False),
    UniqueConstraint("document_id", "model_name", "model_version", name="uq_analysis_model"),
)

spans = Table(
    "spans",
    metadata,
    Column(
        "analysis_id",
        Integer,
        ForeignKey("analyses.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("idx", Integer, primary_key=True),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("technique", String(64), nullable=False),
    Column("score", Float, nullable=False),
    Column("technique_score", Float, nullable=False),
    Column("quoted", Boolean, nullable=False),
    Column("speaker", Text),
    Index("ix_spans_technique", "technique"),
)

sentences = Table(
    "sentences",
    metadata,
    Column(
        "analysis_id",
        Integer,
        ForeignKey("analyses.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("idx", Integer, primary_key=True),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("score", Float, nullable=False),
)

claims = Table(
    "claims",
    metadata,
    Column(
        "analysis_id",
        Integer,
        ForeignKey("analyses.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("idx", Integer, primary_key=True),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("score", Float, nullable=False),
    Column("quoted", Boolean, nullable=False),
    Column("speaker", Text),
)

facts = Table(
    "facts",
    metadata,
    Column(
        "analysis_id",
        Integer,
        ForeignKey("analyses.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("claim_idx", Integer, primary_key=True),
    Column("idx", Integer, primary_key=True),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("kind", String(32), nullable=False),
)

runs = Table(
    "runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True)),
    Column("model_name", String(256), nullable=False),
    Column("model_version", String(64), nullable=False),
    Column("engine", String(16), nullable=False),
    Column("inputs", JSON, nullable=False),
    Column("counts", JSON),
)

errors = Table(
    "errors",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", Integer, ForeignKey("runs.id", ondelete="CASCADE"), index=True),
    Column("code", String(8), nullable=False),
    Column("message", Text, nullable=False),
    Column("path", Text),
    Column("line", Integer),
    Column("byte", Integer),
    Column("document_id", String(512)),
    Column("created_at", DateTime(timezone=True), nullable=False),
)
