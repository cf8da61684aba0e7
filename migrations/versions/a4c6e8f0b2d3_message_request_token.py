"""Organizers' messages: the one-time token of the request that created a message (a second click on
"send", or an API call repeated with the same Idempotency-Key, finds the message instead of making another).

Revision ID: a4c6e8f0b2d3
Revises: f2a4b6c8d0e1
Create Date: 2026-12-07 10:50:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'a4c6e8f0b2d3'
down_revision = 'f2a4b6c8d0e1'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('request_token', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_messages_request_token'), ['request_token'])


def downgrade():
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_messages_request_token'), type_='unique')
        batch_op.drop_column('request_token')
