"""Certificate templates name their signer: the name and title printed under "BAN TỔ CHỨC"

Issue 16.6: certificate_templates.signer_name and signer_title (empty by default: the certificate then
keeps a blank line to sign, as before).

Revision ID: a3c9d1e5b7f2
Revises: 6f4efe817419
Create Date: 2026-12-07 04:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'a3c9d1e5b7f2'
down_revision = '6f4efe817419'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("certificate_templates") as batch_op:
        for name in ("signer_name", "signer_title"):
            batch_op.add_column(sa.Column(name, sa.String(length=120), nullable=False, server_default=""))


def downgrade():
    with op.batch_alter_table("certificate_templates") as batch_op:
        batch_op.drop_column("signer_title")
        batch_op.drop_column("signer_name")
