"""Check-ins remember the scanner that made them (issue 17: offline batches name their device)

Revision ID: d7e9f1a3b5c6
Revises: c5d7e9f1a2b4
Create Date: 2026-12-07 07:10:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'd7e9f1a3b5c6'
down_revision = 'c5d7e9f1a2b4'
branch_labels = None
depends_on = None


def upgrade():
    # NOT NULL with a server default: the check-ins already there read "" (no device named), and on
    # SQLite this stays a plain ALTER TABLE ADD COLUMN (no copy of the table, its partial index kept).
    with op.batch_alter_table("checkins") as batch_op:
        batch_op.add_column(sa.Column("device", sa.String(length=60), server_default="", nullable=False))


def downgrade():
    with op.batch_alter_table("checkins") as batch_op:
        batch_op.drop_column("device")
