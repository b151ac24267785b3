"""The corpus database: schema (``schema.py``), opening and migrating (``db.py``), the single
writer (``writer.py``) and the queries behind ``propscope corpus`` and the dashboard
(``queries.py``). SQLite by default, PostgreSQL where the URL says so (SQLAlchemy 2, Alembic)."""
