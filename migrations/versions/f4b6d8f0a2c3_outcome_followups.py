"""Follow-ups of outcomes: 30 and 90 days after a meeting held or an award given (issue 19).

Revision ID: f4b6d8f0a2c3
Revises: e3a5c7e9f1b2
Create Date: 2026-12-07 16:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

import eventhub

# revision identifiers, used by Alembic.
revision = 'f4b6d8f0a2c3'
down_revision = 'e3a5c7e9f1b2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('outcome_followups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('subject', sa.Enum('meeting', 'award', name='followup_subject', native_enum=False, create_constraint=True, length=10), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.Column('entry_id', sa.Integer(), nullable=True),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('side', sa.Enum('investor', 'startup', 'team', name='followup_side', native_enum=False, create_constraint=True, length=10), nullable=False),
    sa.Column('days', sa.Integer(), nullable=False),
    sa.Column('asked_at', eventhub.dbtypes.UTCDateTime(timezone=True), nullable=False),
    sa.Column('answered_at', eventhub.dbtypes.UTCDateTime(timezone=True), nullable=True),
    sa.Column('follow_up_meeting', sa.Boolean(), nullable=False),
    sa.Column('pilot', sa.Boolean(), nullable=False),
    sa.Column('investment', sa.Boolean(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=True),
    sa.CheckConstraint('(meeting_id IS NULL) <> (entry_id IS NULL)', name=op.f('ck_outcome_followups_one_subject')),
    sa.CheckConstraint('amount IS NULL OR (amount >= 0 AND amount <= 10000000000000)', name=op.f('ck_outcome_followups_amount_range')),
    sa.CheckConstraint('days IN (30, 90)', name=op.f('ck_outcome_followups_days_known')),
    sa.ForeignKeyConstraint(['entry_id'], ['contest_entries.id'], name=op.f('fk_outcome_followups_entry_id_contest_entries'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_outcome_followups_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_outcome_followups_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['member_id'], ['contest_entry_members.id'], name=op.f('fk_outcome_followups_member_id_contest_entry_members'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outcome_followups')),
    sa.UniqueConstraint('entry_id', 'member_id', 'days', name=op.f('uq_outcome_followups_entry_id')),
    sa.UniqueConstraint('meeting_id', 'side', 'days', name=op.f('uq_outcome_followups_meeting_id'))
    )
    with op.batch_alter_table('outcome_followups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outcome_followups_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outcome_followups_member_id'), ['member_id'], unique=False)



def downgrade():
    with op.batch_alter_table('outcome_followups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outcome_followups_member_id'))
        batch_op.drop_index(batch_op.f('ix_outcome_followups_event_id'))

    op.drop_table('outcome_followups')
