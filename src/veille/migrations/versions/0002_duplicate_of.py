"""Documents record the original of a republished article (near-duplicate detection, veille.dedup).

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A database made by ``metadata.create_all`` and then stamped 0001 already has the column.
    if "duplicate_of" in {c["name"] for c in sa.inspect(op.get_bind()).get_columns("documents")}:
        return
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("duplicate_of", sa.String()))


def downgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("duplicate_of")
