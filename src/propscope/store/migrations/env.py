"""Alembic environment of the corpus database. propscope runs the migrations itself
(``store/db.py``: ``migrate``), passing its open connection in ``config.attributes``."""

from __future__ import annotations

from alembic import context

from propscope.store.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only through propscope.store.db.migrate
    raise RuntimeError("run the migrations through propscope.store.db.migrate")
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
