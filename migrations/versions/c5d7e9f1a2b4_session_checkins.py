"""Session check-ins: people scanned in at a workshop's door (issue 17.2)

Revision ID: c5d7e9f1a2b4
Revises: a3c9d1e5b7f2
Create Date: 2026-12-07 05:45:00.000000

"""
import sqlalchemy as sa
from alembic import op

import eventhub.dbtypes

# revision identifiers, used by Alembic.
revision = 'c5d7e9f1a2b4'
down_revision = 'a3c9d1e5b7f2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "session_checkins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("checked_in_at", eventhub.dbtypes.UTCDateTime(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("walk_in", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["registration_id"], ["registrations.id"],
                                name=op.f("fk_session_checkins_registration_id_registrations"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["session_id"], ["event_sessions.id"],
                                name=op.f("fk_session_checkins_session_id_event_sessions"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["staff_id"], ["users.id"], name=op.f("fk_session_checkins_staff_id_users"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_session_checkins")),
        sa.UniqueConstraint("session_id", "registration_id", name="uq_session_checkins_session_registration"),
    )
    with op.batch_alter_table("session_checkins") as batch_op:
        batch_op.create_index(batch_op.f("ix_session_checkins_registration_id"), ["registration_id"],
                              unique=False)


def downgrade():
    with op.batch_alter_table("session_checkins") as batch_op:
        batch_op.drop_index(batch_op.f("ix_session_checkins_registration_id"))
    op.drop_table("session_checkins")
