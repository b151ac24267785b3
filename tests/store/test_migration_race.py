"""Two processes opening a new database at once (two ``propscope batch`` runs started
together): the one that loses the race waits for the other's migration instead of failing on
its half-made tables (``table documents already exists``, or E050 for tables without a
schema revision)."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import create_engine
from sqlalchemy.exc import OperationalError

from propscope.errors import Code, PropscopeError
from propscope.store import db as store_db
from propscope.store.db import open_database, schema_revision
from propscope.store.schema import metadata


def _head() -> str | None:
    return store_db._alembic()[1].get_current_head()


def _half_made(path: Path) -> str:
    """A database with propscope's tables and no schema revision yet (another process's
    migration under way), as a URL."""
    url = f"sqlite:///{path}"
    engine = create_engine(url)
    metadata.create_all(engine)
    engine.dispose()
    return url


def _execute(url: str, statement: str) -> None:
    """Run one SQL statement on the database, as another program would."""
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql(statement)
    engine.dispose()


def test_a_migration_that_collides_with_another_waits_for_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'race.db'}"
    real = command.upgrade
    calls: list[str] = []

    def racing(cfg: Any, revision: str) -> None:
        calls.append(revision)
        if len(calls) == 1:  # the other process migrates first, then this one's DDL collides
            open_database(url).close()
            raise OperationalError("CREATE TABLE documents", {}, Exception("already exists"))
        real(cfg, revision)

    monkeypatch.setattr(command, "upgrade", racing)
    db = open_database(url)
    try:
        assert len(calls) == 2 and schema_revision(db) == _head()
    finally:
        db.close()


def test_half_made_tables_are_waited_for_until_their_revision_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = _half_made(tmp_path / "half.db")
    monkeypatch.setattr(store_db, "MIGRATION_WAIT_S", 10.0)

    def finish() -> None:
        time.sleep(0.3)
        cfg, _ = store_db._alembic()
        eng = create_engine(url)
        with eng.begin() as conn:
            cfg.attributes["connection"] = conn
            command.stamp(cfg, "head")
        eng.dispose()

    other = threading.Thread(target=finish)
    other.start()
    t0 = time.monotonic()
    db = open_database(url)
    other.join()
    try:
        assert schema_revision(db) == _head() and time.monotonic() - t0 >= 0.3
    finally:
        db.close()


def test_half_made_tables_that_stay_so_are_e050_after_the_wait(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = _half_made(tmp_path / "stuck.db")
    monkeypatch.setattr(store_db, "MIGRATION_WAIT_S", 0.3)
    with pytest.raises(PropscopeError) as err:
        open_database(url)
    assert err.value.code is Code.DATABASE and "no propscope schema" in str(err.value)


def test_other_tables_are_e050_at_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'other.db'}"
    _execute(url, "CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    t0 = time.monotonic()
    with pytest.raises(PropscopeError) as err:
        open_database(url)
    assert err.value.code is Code.DATABASE and time.monotonic() - t0 < store_db.MIGRATION_WAIT_S


def test_a_newer_schema_is_e051_at_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'newer.db'}"
    open_database(url).close()
    _execute(url, "UPDATE alembic_version SET version_num = 'ffff'")
    t0 = time.monotonic()
    with pytest.raises(PropscopeError) as err:
        open_database(url)
    assert err.value.code is Code.SCHEMA_TOO_NEW and time.monotonic() - t0 < 5
