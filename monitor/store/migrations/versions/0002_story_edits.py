"""story merges and splits by hand

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "story_alias",
        sa.Column("alias", sa.String(length=64), nullable=False),
        sa.Column("story_id", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("alias"),
    )
    op.create_index("ix_story_alias_story_id", "story_alias", ["story_id"])
    op.create_table(
        "story_edit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("story_id", sa.String(length=64), nullable=False),
        sa.Column("other", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("story_edit")
    op.drop_index("ix_story_alias_story_id", table_name="story_alias")
    op.drop_table("story_alias")
