"""track families: each claim and each track names its "unit|noun" family

Revision ID: 0003
Revises: 0002

A new claim only changes the tracks of its own story and family, so the store
rebuilds just those. Rows written before this revision have no family (NULL):
the first write that touches such a story rebuilds all of its tracks and fills
the families in (``store.tracks``), since computing them needs the claims code,
which a migration must not import.
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.add_column(sa.Column("family", sa.Text(), nullable=True))
    with op.batch_alter_table("claim_track", schema=None) as batch_op:
        batch_op.add_column(sa.Column("family", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("claim_track", schema=None) as batch_op:
        batch_op.drop_column("family")
    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.drop_column("family")
