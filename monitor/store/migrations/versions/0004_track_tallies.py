"""track tallies: what growing a track by later claims needs beyond its last step

Revision ID: 0004
Revises: 0003

A poll's new claims usually come after every step of their tracks, so the store
appends their steps instead of re-reading all of the family's claims
(``claims.grow``). For that each track keeps its tally: its claims with a
predicate (``members``) and without (``loose``), when the first of the former was
published (``since``) and whether its predicate is cumulative (``rising``). Rows
written before this revision have none (NULL): the first write that touches their
family rebuilds it from the claims and fills them in.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("claim_track", schema=None) as batch_op:
        batch_op.add_column(sa.Column("members", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("loose", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("since", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("rising", sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("claim_track", schema=None) as batch_op:
        batch_op.drop_column("rising")
        batch_op.drop_column("since")
        batch_op.drop_column("loose")
        batch_op.drop_column("members")
