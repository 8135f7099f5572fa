"""Alembic environment: the same migrations for SQLite and PostgreSQL.

``veille.store.upgrade_schema`` passes its own connection (already in a locked transaction); the
alembic command line gets the database from ``VEILLE_DB`` like the ``veille`` command does.
SQLite alters tables in batch mode (copy and rename), since its ALTER TABLE does little.
"""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import Connection, create_engine

from veille.store import database_url, metadata


def _migrate(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=metadata,
                      render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


def main() -> None:
    given = context.config.attributes.get("connection")
    if given is not None:
        _migrate(given)
        return
    url = database_url(os.environ.get("VEILLE_DB", "veille.db"))
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=metadata, literal_binds=True,
                          render_as_batch=url.startswith("sqlite"))
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            _migrate(connection)
    finally:
        engine.dispose()


main()
