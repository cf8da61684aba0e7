"""Proven addresses, seat holds, accepted team invitations, session generation; name keys again

Issue 13: users.email_verified_at (accounts an operator made or promoted – every role but
participant – count as proven; participants confirm through the banner's link); users.session_generation
(sign-out ends copied cookies); contest_entry_members.accepted_at (the entry's creator and members with a
proven account keep their entry, the others accept an invitation first); registration_types.confirm_email,
registrations.hold_expires_at and email_confirmed_at, and the status pending_email.
Issue 14.2: every registration's Vietnamese sort key is computed anew (and ð is searched as đ).

Revision ID: 6f4efe817419
Revises: e7ab0e813f80
Create Date: 2026-12-06 23:16:16.330450

"""
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import eventhub.dbtypes
from eventhub.registration.sortkeys import recompute_sort_keys, refold_eth_in_search_texts

# revision identifiers, used by Alembic.
revision = '6f4efe817419'
down_revision = 'e7ab0e813f80'
branch_labels = None
depends_on = None

OLD_STATUSES = ("pending_approval", "confirmed", "waitlisted", "cancelled")
NEW_STATUSES = ("pending_email", *OLD_STATUSES)


def _status_type(values):
    return sa.Enum(*values, name="registration_status", native_enum=False, create_constraint=True, length=20)


def _set_statuses(values, previous):
    if op.get_bind().dialect.name == "sqlite":
        # Batch mode rebuilds the table; existing_type tells it which CHECK constraint to drop.
        with op.batch_alter_table("registrations") as batch_op:
            batch_op.alter_column("status", existing_type=_status_type(previous), type_=_status_type(values),
                                  existing_nullable=False)
    else:
        op.drop_constraint(op.f("ck_registrations_registration_status"), "registrations", type_="check")
        op.create_check_constraint("registration_status", "registrations",
                                   sa.column("status").in_(values))


def upgrade():
    with op.batch_alter_table('contest_entry_members', schema=None) as batch_op:
        batch_op.add_column(sa.Column('accepted_at', eventhub.dbtypes.UTCDateTime(timezone=True), nullable=True))

    with op.batch_alter_table('registration_types', schema=None) as batch_op:
        batch_op.add_column(sa.Column('confirm_email', sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('hold_expires_at', eventhub.dbtypes.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('email_confirmed_at', eventhub.dbtypes.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_registrations_hold_expires_at'), ['hold_expires_at'], unique=False)
    _set_statuses(NEW_STATUSES, OLD_STATUSES)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_verified_at', eventhub.dbtypes.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('session_generation', sa.Integer(), server_default='0', nullable=False))

    users = sa.table("users", sa.column("id", sa.Integer), sa.column("email", sa.String),
                     sa.column("role", sa.String), sa.column("created_at", eventhub.dbtypes.UTCDateTime()),
                     sa.column("email_verified_at", eventhub.dbtypes.UTCDateTime()))
    entries = sa.table("contest_entries", sa.column("id", sa.Integer), sa.column("created_by_id", sa.Integer))
    members = sa.table("contest_entry_members", sa.column("entry_id", sa.Integer),
                       sa.column("user_id", sa.Integer), sa.column("email_normalized", sa.String),
                       sa.column("invited_at", eventhub.dbtypes.UTCDateTime()),
                       sa.column("accepted_at", eventhub.dbtypes.UTCDateTime()))
    # Organizers, staff, judges and investors exist only because an operator made or promoted them: the
    # operator vouches. A participant may have signed up with someone else's address – they confirm it
    # through the banner's link like every new account.
    op.execute(users.update().where(users.c.email_verified_at.is_(None), users.c.role != "participant")
               .values(email_verified_at=users.c.created_at))
    # Team seats: the entry's creator, and members whose account (linked before, or found by address) is
    # proven, keep the entry; any other member sees it once they accept an invitation with the address
    # proven (the "My entries" page lists the invitations waiting for a proven address).
    proven_by_address = (sa.select(users.c.id).where(
        sa.func.lower(users.c.email) == members.c.email_normalized, users.c.email_verified_at.is_not(None))
        .scalar_subquery())
    op.execute(members.update().where(members.c.user_id.is_(None)).values(user_id=proven_by_address))
    creator = sa.select(entries.c.created_by_id).where(entries.c.id == members.c.entry_id).scalar_subquery()
    proven = sa.select(users.c.id).where(users.c.id == members.c.user_id,
                                         users.c.email_verified_at.is_not(None)).exists()
    now = sa.bindparam("now", datetime.now(UTC), type_=eventhub.dbtypes.UTCDateTime())
    op.execute(members.update().where(members.c.user_id.is_not(None), members.c.accepted_at.is_(None),
                                      sa.or_(members.c.user_id == creator, proven))
               .values(accepted_at=sa.func.coalesce(members.c.invited_at, now)))
    op.execute(members.update().where(members.c.accepted_at.is_(None)).values(user_id=None))
    recompute_sort_keys(op.get_bind())
    refold_eth_in_search_texts(op.get_bind())  # ð is searched as đ now


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('session_generation')
        batch_op.drop_column('email_verified_at')

    op.execute("UPDATE registrations SET status = 'cancelled' WHERE status = 'pending_email'")
    _set_statuses(OLD_STATUSES, NEW_STATUSES)
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_registrations_hold_expires_at'))
        batch_op.drop_column('email_confirmed_at')
        batch_op.drop_column('hold_expires_at')

    with op.batch_alter_table('registration_types', schema=None) as batch_op:
        batch_op.drop_column('confirm_email')

    with op.batch_alter_table('contest_entry_members', schema=None) as batch_op:
        batch_op.drop_column('accepted_at')
