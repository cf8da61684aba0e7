"""Organizations: one record per startup, fund or employer across the series, and the links to it (issue 19).

Revision ID: d2f4a6c8e0b1
Revises: c7e9a1b3d5f7
Create Date: 2026-12-07 15:47:02.448918

"""
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

import eventhub.dbtypes
from eventhub.organizations.matching import fold_name
from eventhub.vietnamese import fold

# revision identifiers, used by Alembic.
revision = 'd2f4a6c8e0b1'
down_revision = 'c7e9a1b3d5f7'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('organizations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.Enum('startup', 'investor', 'other', name='organization_kind', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('tax_code', sa.String(length=14), nullable=True),
    sa.Column('name_key', sa.String(length=200), nullable=False),
    sa.Column('search_text', sa.String(length=400), nullable=False),
    sa.Column('merged_into_id', sa.Integer(), nullable=True),
    sa.Column('merged_at', eventhub.dbtypes.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', eventhub.dbtypes.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', eventhub.dbtypes.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('merged_into_id IS NULL OR merged_into_id != id', name=op.f('ck_organizations_not_merged_into_itself')),
    sa.ForeignKeyConstraint(['merged_into_id'], ['organizations.id'], name=op.f('fk_organizations_merged_into_id_organizations'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organizations'))
    )
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.create_index('ix_organizations_live_search', ['search_text'], unique=False, sqlite_where=sa.text('merged_into_id IS NULL'), postgresql_where=sa.text('merged_into_id IS NULL'))
        batch_op.create_index(batch_op.f('ix_organizations_merged_into_id'), ['merged_into_id'], unique=False)
        batch_op.create_index('ix_organizations_name_key', ['name_key'], unique=False)
        batch_op.create_index('uq_organizations_name_key', ['name_key'], unique=True, sqlite_where=sa.text('merged_into_id IS NULL AND tax_code IS NULL'), postgresql_where=sa.text('merged_into_id IS NULL AND tax_code IS NULL'))
        batch_op.create_index('uq_organizations_tax_code', ['tax_code'], unique=True, sqlite_where=sa.text('merged_into_id IS NULL AND tax_code IS NOT NULL'), postgresql_where=sa.text('merged_into_id IS NULL AND tax_code IS NOT NULL'))

    op.create_table('organization_distinct_pairs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('low_id', sa.Integer(), nullable=False),
    sa.Column('high_id', sa.Integer(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', eventhub.dbtypes.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('low_id < high_id', name=op.f('ck_organization_distinct_pairs_ordered')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_organization_distinct_pairs_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['high_id'], ['organizations.id'], name=op.f('fk_organization_distinct_pairs_high_id_organizations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['low_id'], ['organizations.id'], name=op.f('fk_organization_distinct_pairs_low_id_organizations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organization_distinct_pairs')),
    sa.UniqueConstraint('low_id', 'high_id', name=op.f('uq_organization_distinct_pairs_low_id'))
    )
    with op.batch_alter_table('organization_distinct_pairs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organization_distinct_pairs_high_id'), ['high_id'], unique=False)

    with op.batch_alter_table('contest_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('organization_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_contest_entries_organization_id'), ['organization_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_contest_entries_organization_id_organizations'), 'organizations', ['organization_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('exhibitors', schema=None) as batch_op:
        batch_op.add_column(sa.Column('organization_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('tax_code', sa.String(length=14), nullable=True))
        batch_op.create_index(batch_op.f('ix_exhibitors_organization_id'), ['organization_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_exhibitors_organization_id_organizations'), 'organizations', ['organization_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('match_profiles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('organization_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('tax_code', sa.String(length=14), nullable=True))
        batch_op.create_index(batch_op.f('ix_match_profiles_organization_id'), ['organization_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_match_profiles_organization_id_organizations'), 'organizations', ['organization_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('organization_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_registrations_organization_id'), ['organization_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_registrations_organization_id_organizations'), 'organizations', ['organization_id'], ['id'], ondelete='SET NULL')

    _link_existing_rows()


# --- backfill: the rows that exist get their organization, matched as organizations.services does ---------
# (by folded name: the tax code columns are new and empty). Plain tables here, not the models: a migration
# must keep working when the models change later.

_LINKED = (  # table, how its rows rank an organization's kind (a profile says so itself)
    ("exhibitors", "startup"),
    ("contest_entries", "startup"),
    ("match_profiles", None),
    ("registrations", "other"),
)


# The columns' lengths as this migration makes them (not the models' constants: those may change later).
_NAME_LENGTH, _KEY_LENGTH, _SEARCH_LENGTH = 200, 200, 400


def _search_text(name):
    return fold(name)[:_SEARCH_LENGTH]


def _name_key(name):
    """fold_name can outgrow the name ("ﬃ" folds to "ffi"): cut to the column, as services.name_key_of."""
    return fold_name(name)[:_KEY_LENGTH].rstrip()


def _link_existing_rows():
    bind = op.get_bind()
    found = {}  # name key -> {"name", "kind", "rows": [(table, id)]}
    for table_name, kind in _LINKED:
        columns = [sa.column("id", sa.Integer), sa.column("organization", sa.String)]
        if kind is None:
            columns.append(sa.column("kind", sa.String))
        table = sa.table(table_name, *columns)
        rows = bind.execute(sa.select(*table.c).where(table.c.organization.is_not(None))
                            .order_by(table.c.id)).all()
        for row in rows:
            name = " ".join((row.organization or "").split())[:_NAME_LENGTH]
            if not name:
                continue
            key = _name_key(name)
            org = found.setdefault(key, {"name": name, "kind": "other", "rows": []})
            row_kind = kind or row.kind
            if org["kind"] == "other" and row_kind in ("startup", "investor"):
                org["kind"] = row_kind  # a startup or investor outranks a registrant's employer
            org["rows"].append((table_name, row.id))
    if not found:
        return
    organizations = sa.Table(  # a Table (not sa.table) to know its primary key: each insert's id is read
        "organizations", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String), sa.Column("kind", sa.String), sa.Column("name_key", sa.String),
        sa.Column("search_text", sa.String), sa.Column("created_at", eventhub.dbtypes.UTCDateTime()),
        sa.Column("updated_at", eventhub.dbtypes.UTCDateTime()))
    now = datetime.now(timezone.utc)
    links = {table_name: [] for table_name, _kind in _LINKED}
    for key, org in found.items():
        result = bind.execute(organizations.insert().values(
            name=org["name"], kind=org["kind"], name_key=key, search_text=_search_text(org["name"]),
            created_at=now, updated_at=now))
        org_id = result.inserted_primary_key[0]
        for table_name, row_id in org["rows"]:
            links[table_name].append({"row_id": row_id, "org_id": org_id})
    for table_name, params in links.items():
        if params:
            table = sa.table(table_name, sa.column("id", sa.Integer), sa.column("organization_id", sa.Integer))
            bind.execute(table.update().where(table.c.id == sa.bindparam("row_id"))
                         .values(organization_id=sa.bindparam("org_id")), params)



def downgrade():
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_registrations_organization_id_organizations'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_registrations_organization_id'))
        batch_op.drop_column('organization_id')

    with op.batch_alter_table('match_profiles', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_match_profiles_organization_id_organizations'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_match_profiles_organization_id'))
        batch_op.drop_column('tax_code')
        batch_op.drop_column('organization_id')

    with op.batch_alter_table('exhibitors', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_exhibitors_organization_id_organizations'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_exhibitors_organization_id'))
        batch_op.drop_column('tax_code')
        batch_op.drop_column('organization_id')

    with op.batch_alter_table('contest_entries', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_contest_entries_organization_id_organizations'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_contest_entries_organization_id'))
        batch_op.drop_column('organization_id')

    with op.batch_alter_table('organization_distinct_pairs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organization_distinct_pairs_high_id'))

    op.drop_table('organization_distinct_pairs')
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.drop_index('uq_organizations_tax_code', sqlite_where=sa.text('merged_into_id IS NULL AND tax_code IS NOT NULL'), postgresql_where=sa.text('merged_into_id IS NULL AND tax_code IS NOT NULL'))
        batch_op.drop_index('uq_organizations_name_key', sqlite_where=sa.text('merged_into_id IS NULL AND tax_code IS NULL'), postgresql_where=sa.text('merged_into_id IS NULL AND tax_code IS NULL'))
        batch_op.drop_index('ix_organizations_name_key')
        batch_op.drop_index(batch_op.f('ix_organizations_merged_into_id'))
        batch_op.drop_index('ix_organizations_live_search', sqlite_where=sa.text('merged_into_id IS NULL'), postgresql_where=sa.text('merged_into_id IS NULL'))

    op.drop_table('organizations')
