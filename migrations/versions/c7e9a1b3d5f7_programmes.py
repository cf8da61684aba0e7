"""Programmes: a multi-year plan with yearly targets for the report's figures (issue 19).

Revision ID: c7e9a1b3d5f7
Revises: b5d7f9a1c3e5
Create Date: 2026-12-07 14:20:00.000000

"""
import sqlalchemy as sa
from alembic import op

import eventhub

# revision identifiers, used by Alembic.
revision = 'c7e9a1b3d5f7'
down_revision = 'b5d7f9a1c3e5'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('programmes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('start_year', sa.Integer(), nullable=False),
    sa.Column('end_year', sa.Integer(), nullable=False),
    sa.Column('created_at', eventhub.dbtypes.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_programmes_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programmes')),
    sa.UniqueConstraint('code', name=op.f('uq_programmes_code'))
    )
    op.create_table('programme_targets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('indicator', sa.String(length=60), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('target', sa.Float(), nullable=False),
    sa.CheckConstraint('target >= 0', name=op.f('ck_programme_targets_target_not_negative')),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_programme_targets_programme_id_programmes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programme_targets')),
    sa.UniqueConstraint('programme_id', 'indicator', 'year', name=op.f('uq_programme_targets_programme_id'))
    )


def downgrade():
    op.drop_table('programme_targets')
    op.drop_table('programmes')
