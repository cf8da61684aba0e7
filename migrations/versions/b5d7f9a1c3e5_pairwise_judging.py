"""Pairwise judging on the exhibition floor: contests may score "pairwise"; the judges' votes, visits and
walks; an entry's booth code when its organization is not an exhibitor's.

Revision ID: b5d7f9a1c3e5
Revises: a4c6e8f0b2d3
Create Date: 2026-12-07 12:40:00.000000

"""
import sqlalchemy as sa
from alembic import op

import eventhub

# revision identifiers, used by Alembic.
revision = 'b5d7f9a1c3e5'
down_revision = 'a4c6e8f0b2d3'
branch_labels = None
depends_on = None

OLD_SCORINGS = ("zscore", "raw")
NEW_SCORINGS = ("zscore", "raw", "pairwise")


def _scoring_type(values):
    return sa.Enum(*values, name="contest_scoring", native_enum=False, create_constraint=True, length=10)


def _set_scorings(values, previous):
    if op.get_context().dialect.name == "sqlite":
        # Batch mode rebuilds the table; existing_type tells it which CHECK constraint to drop.
        with op.batch_alter_table("contests") as batch_op:
            batch_op.alter_column("scoring", existing_type=_scoring_type(previous), type_=_scoring_type(values),
                                  existing_nullable=False)
    else:
        op.drop_constraint(op.f("ck_contests_contest_scoring"), "contests", type_="check")
        op.create_check_constraint("contest_scoring", "contests", sa.column("scoring").in_(values))


def upgrade():
    _set_scorings(NEW_SCORINGS, OLD_SCORINGS)
    with op.batch_alter_table('contest_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('booth_code', sa.String(length=20), nullable=True))

    op.create_table('pairwise_votes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contest_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('winner_id', sa.Integer(), nullable=False),
    sa.Column('loser_id', sa.Integer(), nullable=False),
    sa.Column('created_at', eventhub.dbtypes.UTCDateTime(timezone=True), nullable=False),
    sa.Column('undone_at', eventhub.dbtypes.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint('winner_id <> loser_id', name=op.f('ck_pairwise_votes_two_entries')),
    sa.ForeignKeyConstraint(['contest_id'], ['contests.id'], name=op.f('fk_pairwise_votes_contest_id_contests'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['loser_id'], ['contest_entries.id'], name=op.f('fk_pairwise_votes_loser_id_contest_entries'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_pairwise_votes_user_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['winner_id'], ['contest_entries.id'], name=op.f('fk_pairwise_votes_winner_id_contest_entries'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pairwise_votes'))
    )
    with op.batch_alter_table('pairwise_votes', schema=None) as batch_op:
        batch_op.create_index('ix_pairwise_votes_contest_id_id', ['contest_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pairwise_votes_loser_id'), ['loser_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pairwise_votes_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pairwise_votes_winner_id'), ['winner_id'], unique=False)

    op.create_table('pairwise_visits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contest_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('outcome', sa.Enum('seen', 'skipped', name='pairwise_visit_outcome', native_enum=False, create_constraint=True, length=10), nullable=False),
    sa.Column('vote_id', sa.Integer(), nullable=True),
    sa.Column('created_at', eventhub.dbtypes.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['contest_id'], ['contests.id'], name=op.f('fk_pairwise_visits_contest_id_contests'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['entry_id'], ['contest_entries.id'], name=op.f('fk_pairwise_visits_entry_id_contest_entries'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_pairwise_visits_user_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['vote_id'], ['pairwise_votes.id'], name=op.f('fk_pairwise_visits_vote_id_pairwise_votes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pairwise_visits'))
    )
    with op.batch_alter_table('pairwise_visits', schema=None) as batch_op:
        batch_op.create_index('ix_pairwise_visits_contest_user', ['contest_id', 'user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pairwise_visits_entry_id'), ['entry_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pairwise_visits_user_id'), ['user_id'], unique=False)

    op.create_table('pairwise_walks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contest_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('previous_entry_id', sa.Integer(), nullable=True),
    sa.Column('current_entry_id', sa.Integer(), nullable=True),
    sa.Column('sent_at', eventhub.dbtypes.UTCDateTime(timezone=True), nullable=True),
    sa.Column('votes', sa.Integer(), server_default='0', nullable=False),
    sa.Column('updated_at', eventhub.dbtypes.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['contest_id'], ['contests.id'], name=op.f('fk_pairwise_walks_contest_id_contests'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['current_entry_id'], ['contest_entries.id'], name=op.f('fk_pairwise_walks_current_entry_id_contest_entries'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['previous_entry_id'], ['contest_entries.id'], name=op.f('fk_pairwise_walks_previous_entry_id_contest_entries'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_pairwise_walks_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pairwise_walks')),
    sa.UniqueConstraint('contest_id', 'user_id', name=op.f('uq_pairwise_walks_contest_id'))
    )
    with op.batch_alter_table('pairwise_walks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pairwise_walks_contest_id'), ['contest_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pairwise_walks_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('pairwise_walks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pairwise_walks_user_id'))
        batch_op.drop_index(batch_op.f('ix_pairwise_walks_contest_id'))
    op.drop_table('pairwise_walks')
    with op.batch_alter_table('pairwise_visits', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pairwise_visits_user_id'))
        batch_op.drop_index(batch_op.f('ix_pairwise_visits_entry_id'))
        batch_op.drop_index('ix_pairwise_visits_contest_user')
    op.drop_table('pairwise_visits')
    with op.batch_alter_table('pairwise_votes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pairwise_votes_winner_id'))
        batch_op.drop_index(batch_op.f('ix_pairwise_votes_user_id'))
        batch_op.drop_index(batch_op.f('ix_pairwise_votes_loser_id'))
        batch_op.drop_index('ix_pairwise_votes_contest_id_id')
    op.drop_table('pairwise_votes')
    with op.batch_alter_table('contest_entries', schema=None) as batch_op:
        batch_op.drop_column('booth_code')
    # A pairwise contest cannot be kept: it becomes a rubric contest with z-scores.
    op.execute("UPDATE contests SET scoring = 'zscore' WHERE scoring = 'pairwise'")
    _set_scorings(OLD_SCORINGS, NEW_SCORINGS)
