"""The first corpus schema: documents, analyses, spans, sentences, claims, facts,
runs and errors.

Revision ID: 0001
Revises:
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def _part_of_analysis() -> sa.Column[int]:
    return sa.Column(
        "analysis_id",
        sa.Integer,
        sa.ForeignKey("analyses.id", ondelete="CASCADE"),
        primary_key=True,
    )


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.String(512), primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("source", sa.String(512)),
        sa.Column("date", sa.Date),
        sa.Column("date_text", sa.String(128)),
        sa.Column("author", sa.String(512)),
        sa.Column("meta", sa.JSON, nullable=False),
        sa.Column("words", sa.Integer, nullable=False),
        sa.Column("chars", sa.Integer, nullable=False),
        sa.Column("location", sa.Text, nullable=False),
        sa.Column("added_at", TZ, nullable=False),
    )
    for col in ("source", "date", "author"):
        op.create_index(f"ix_documents_{col}", "documents", [col])
    op.create_table(
        "analyses",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "document_id",
            sa.String(512),
            sa.ForeignKey("documents.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("model_name", sa.String(256), nullable=False),
        sa.Column("model_version", sa.String(64), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("run_id", sa.Integer),
        sa.Column("min_score", sa.Float),
        sa.Column("operating_points", sa.JSON, nullable=False),
        sa.Column("profile", sa.JSON, nullable=False),
        sa.Column("warnings", sa.JSON, nullable=False),
        sa.Column("n_sentences", sa.Integer, nullable=False),
        sa.Column("sentences_with_technique", sa.JSON, nullable=False),
        sa.Column("n_claims", sa.Integer, nullable=False),
        sa.UniqueConstraint("document_id", "model_name", "model_version", name="uq_analysis_model"),
    )
    op.create_index("ix_analyses_document_id", "analyses", ["document_id"])
    op.create_table(
        "spans",
        _part_of_analysis(),
        sa.Column("idx", sa.Integer, primary_key=True),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("technique", sa.String(64), nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("technique_score", sa.Float, nullable=False),
        sa.Column("quoted", sa.Boolean, nullable=False),
        sa.Column("speaker", sa.Text),
    )
    op.create_index("ix_spans_technique", "spans", ["technique"])
    op.create_table(
        "sentences",
        _part_of_analysis(),
        sa.Column("idx", sa.Integer, primary_key=True),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("score", sa.Float, nullable=False),
    )
    op.create_table(
        "claims",
        _part_of_analysis(),
        sa.Column("idx", sa.Integer, primary_key=True),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("quoted", sa.Boolean, nullable=False),
        sa.Column("speaker", sa.Text),
    )
    op.create_table(
        "facts",
        _part_of_analysis(),
        sa.Column("claim_idx", sa.Integer, primary_key=True),
        sa.Column("idx", sa.Integer, primary_key=True),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
    )
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("started_at", TZ, nullable=False),
        sa.Column("finished_at", TZ),
        sa.Column("model_name", sa.String(256), nullable=False),
        sa.Column("model_version", sa.String(64), nullable=False),
        sa.Column("engine", sa.String(16), nullable=False),
        sa.Column("inputs", sa.JSON, nullable=False),
        sa.Column("counts", sa.JSON),
    )
    op.create_table(
        "errors",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id", ondelete="CASCADE")),
        sa.Column("code", sa.String(8), nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("path", sa.Text),
        sa.Column("line", sa.Integer),
        sa.Column("byte", sa.Integer),
        sa.Column("document_id", sa.String(512)),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_index("ix_errors_run_id", "errors", ["run_id"])


def downgrade() -> None:
    for name in ("errors", "runs", "facts", "claims", "sentences", "spans", "analyses"):
        op.drop_table(name)
    op.drop_table("documents")
