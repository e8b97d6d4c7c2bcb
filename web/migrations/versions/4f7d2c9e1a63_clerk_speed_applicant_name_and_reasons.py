"""Clerks go faster: the applicant's name to search by, and the canned reason picked

Revision ID: 4f7d2c9e1a63
Revises: 8c4e2a7b5d10
Create Date: 2026-12-02 06:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4f7d2c9e1a63'
down_revision = '8c4e2a7b5d10'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('applicant_name', sa.String(length=200), nullable=True))
        batch_op.create_index(batch_op.f('ix_submissions_applicant_name'), ['applicant_name'], unique=False)
    with op.batch_alter_table('work_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reason_id', sa.String(length=60), nullable=True))
    with op.batch_alter_table('document_requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reason_id', sa.String(length=60), nullable=True))


def downgrade():
    with op.batch_alter_table('document_requests', schema=None) as batch_op:
        batch_op.drop_column('reason_id')
    with op.batch_alter_table('work_items', schema=None) as batch_op:
        batch_op.drop_column('reason_id')
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_submissions_applicant_name'))
        batch_op.drop_column('applicant_name')
