"""Opening the corpus database: URL rules, SQLite settings, migrations, coded errors.

* No URL: ``sqlite:///propscope.db`` in the current folder. A plain path (``corpus.db``) is a
  SQLite file. ``postgresql://...`` uses psycopg 3 (the ``[postgres]`` extra).
* SQLite runs in WAL mode (readers, such as the dashboard, do not block the one writer) with
  foreign keys on and a busy timeout.
* ``open_database`` brings the schema to this version's head with Alembic: a new database is
  created, an older one migrated. A database whose schema is newer than this propscope is
  refused (E051); one that cannot be reached or logged into is E050, never a traceback.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

from propscope.errors import Code, PropscopeError

DEFAULT_DB = "propscope.db"
MIGRATIONS = Path(__file__).parent / "migrations"
SQLITE_BUSY_MS = 30_000


@dataclass(frozen=True)
class Database:
    engine: Engine
    url: str  # with the password hidden, for messages

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def close(self) -> None:
        self.engine.dispose()


def database_url(db: str | None) -> str:
    """The SQLAlchemy URL for ``--db``: a URL as given (``postgresql://`` gets psycopg 3),
    anything else a SQLite file path; None is ``propscope.db`` here."""
    if not db:
        db = DEFAULT_DB
    if "://" not in db:
        return f"sqlite:///{db}"
    if db.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + db.split("://", 1)[1]
    return db


def open_database(db: str | None, *, migrate: bool = True) -> Database:
    """Connect, check and (``migrate``) bring the schema to head; coded errors otherwise."""
    url = database_url(db)
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise PropscopeError(Code.DATABASE, f"not a database URL: {exc}") from None
    shown = parsed.render_as_string(hide_password=True)
    kwargs: dict[str, Any] = {}
    if parsed.get_backend_name() == "sqlite":
        path = parsed.database
        if path and path != ":memory:" and not Path(path).parent.exists():
            raise PropscopeError(
                Code.DATABASE, f"the folder of the SQLite file does not exist: {shown}"
            )
        kwargs["connect_args"] = {"timeout": SQLITE_BUSY_MS / 1000}
    elif parsed.get_backend_name() == "postgresql":
        kwargs["connect_args"] = {"connect_timeout": 10}
    try:
        engine = create_engine(url, **kwargs)
    except NoSuchModuleError as exc:
        raise PropscopeError(Code.DATABASE, f"unknown database kind: {exc}") from None
    except ImportError as exc:
        raise PropscopeError(
            Code.MISSING_EXTRA,
            f"this database needs a driver that is not installed ({exc.name}); for PostgreSQL "
            "install the extra: pip install 'propscope[postgres]'",
        ) from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    database = Database(engine, shown)
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
        if migrate:
            upgrade(database)
        else:
            check_schema(database)
    except SQLAlchemyError as exc:
        engine.dispose()
        raise PropscopeError(
            Code.DATABASE, f"cannot open the database {shown}: {_reason(exc)}"
        ) from None
    except PropscopeError:
        engine.dispose()
        raise
    return database


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
    cur.close()


def _reason(exc: SQLAlchemyError) -> str:
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _alembic() -> tuple[Any, Any]:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg, ScriptDirectory.from_config(cfg)


def schema_revision(database: Database) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with database.engine.connect() as conn:
        rev: str | None = MigrationContext.configure(conn).get_current_revision()
        return rev


def check_schema(database: Database) -> str | None:
    """The database's schema revision; E051 where it is newer than this propscope knows,
    E050 where the database holds other tables and is not a propscope database."""
    _, script = _alembic()
    current = schema_revision(database)
    known = {s.revision for s in script.walk_revisions()}
    if current is not None and current not in known:
        from propscope.version import __version__

        raise PropscopeError(
            Code.SCHEMA_TOO_NEW,
            f"the database {database.url} has schema revision {current}, made by a newer "
            f"propscope than this one ({__version__}); upgrade propscope to use it",
        )
    if current is None:
        tables = set(inspect(database.engine).get_table_names())
        if tables - {"alembic_version"}:
            raise PropscopeError(
                Code.DATABASE,
                f"the database {database.url} holds tables but no propscope schema; give a new "
                "or a propscope database",
            )
    return current


MIGRATION_WAIT_S = 60.0  # how long to wait for another process migrating the same database


def upgrade(database: Database) -> None:
    """Create or migrate the schema to this version's head (Alembic). Where another process
    is creating or migrating the same database at that moment (two runs started together on a
    new database), its migration is waited for (``MIGRATION_WAIT_S`` at most) instead of
    failing on its half-made tables."""
    from alembic import command

    cfg, script = _alembic()
    head = script.get_current_head()
    try:
        current = check_schema(database)
    except PropscopeError as exc:
        # tables without a revision (E050): only propscope's own means a migration under way
        # (a revision newer than this propscope, E051, is refused at once)
        waited = exc.code is Code.DATABASE and _only_propscope_tables(database)
        if waited and _wait_for(database, head):
            return
        raise
    if current == head:
        return
    try:
        with database.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    except SQLAlchemyError:
        if not _wait_for(database, head):
            raise


def _only_propscope_tables(database: Database) -> bool:
    from propscope.store.schema import metadata

    tables = set(inspect(database.engine).get_table_names())
    return bool(tables) and tables <= {*metadata.tables, "alembic_version"}


def _wait_for(database: Database, head: str | None) -> bool:
    """Whether the database's schema reaches ``head`` within ``MIGRATION_WAIT_S``."""
    deadline = time.monotonic() + MIGRATION_WAIT_S
    while time.monotonic() < deadline:
        try:
            if schema_revision(database) == head:
                return True
        except SQLAlchemyError:
            pass  # (the other migration may hold the database for a moment)
        time.sleep(0.1)
    return False
