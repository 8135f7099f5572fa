"""Initial schema: documents and their events, as veille 0.1 created them.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# Columns of ``events`` with an index of their own, named as SQLAlchemy's ``index=True`` names them.
INDEXED = ("doc_id", "event_date", "cameo", "cameo_root", "actor1_code", "actor2_code", "modality", "group_id")


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("doc_id", sa.String(), primary_key=True),
        sa.Column("content_hash", sa.String(40), nullable=False),
        sa.Column("status", sa.String(60), nullable=False),
        sa.Column("reason", sa.Text()),
        sa.Column("lang", sa.String()),
        sa.Column("published", sa.String()),
        sa.Column("title", sa.Text()),
        sa.Column("url", sa.Text()),
        sa.Column("source", sa.Text()),
        sa.Column("path", sa.Text()),
        sa.Column("fmt", sa.String(10)),
        sa.Column("text", sa.Text()),
        sa.Column("event_count", sa.Integer(), nullable=False),
        sa.Column("added", sa.String(40), nullable=False),
    )
    op.create_table(
        "events",
        sa.Column("event_id", sa.String(40), primary_key=True),
        sa.Column("doc_id", sa.String(), nullable=False),
        sa.Column("sentence_index", sa.Integer(), nullable=False),
        sa.Column("event_date", sa.String(10)),
        sa.Column("cameo", sa.String(4), nullable=False),
        sa.Column("cameo_root", sa.String(2), nullable=False),
        sa.Column("quad_class", sa.Integer()),
        sa.Column("goldstein", sa.Float()),
        sa.Column("actor1_code", sa.String(20)),
        sa.Column("actor1_country", sa.String(5)),
        sa.Column("actor2_code", sa.String(20)),
        sa.Column("actor2_country", sa.String(5)),
        sa.Column("modality", sa.String(20)),
        sa.Column("group_id", sa.String(40)),
        sa.Column("record", sa.Text(), nullable=False),
    )
    for column in INDEXED:
        op.create_index(f"ix_events_{column}", "events", [column])
    op.create_index("ix_events_doc_sentence", "events", ["doc_id", "sentence_index"])


def downgrade() -> None:
    op.drop_table("events")
    op.drop_table("documents")
