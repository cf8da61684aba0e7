"""Reminders and attendance answers (issue 18): an event's reminder lead time, when each registration and
meeting was reminded, and a registrant's answer to "will you come?"

Revision ID: e1f3a5b7c9d2
Revises: d7e9f1a3b5c6
Create Date: 2026-12-07 10:05:00.000000

"""
import sqlalchemy as sa
from alembic import op

from eventhub.dbtypes import UTCDateTime

# revision identifiers, used by Alembic.
revision = 'e1f3a5b7c9d2'
down_revision = 'd7e9f1a3b5c6'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMNs (nullable or with a server default): no copy of the tables on SQLite. Existing
    # events get the default lead time of 24 hours.
    with op.batch_alter_table("events") as batch_op:
        batch_op.add_column(sa.Column("reminder_hours", sa.Integer(), server_default="24", nullable=False))
    with op.batch_alter_table("registrations") as batch_op:
        batch_op.add_column(sa.Column("reminded_at", UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("attending", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("attendance_at", UTCDateTime(timezone=True), nullable=True))
    with op.batch_alter_table("meetings") as batch_op:
        batch_op.add_column(sa.Column("reminded_at", UTCDateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("meetings") as batch_op:
        batch_op.drop_column("reminded_at")
    with op.batch_alter_table("registrations") as batch_op:
        batch_op.drop_column("attendance_at")
        batch_op.drop_column("attending")
        batch_op.drop_column("reminded_at")
    with op.batch_alter_table("events") as batch_op:
        batch_op.drop_column("reminder_hours")
