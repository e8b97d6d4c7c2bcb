"""Service versions published from the studio, and the admins' drafts

Revision ID: b7a1d3e5f902
Revises: 4f7d2c9e1a63
Create Date: 2026-12-02 18:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7a1d3e5f902'
down_revision = '4f7d2c9e1a63'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'service_versions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('service_id', sa.String(length=80), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('version', sa.String(length=40), nullable=False),
        sa.Column('yaml_text', sa.Text(), nullable=False),
        sa.Column('diff_text', sa.Text(), nullable=False),
        sa.Column('summary', sa.Text(), nullable=True),
        sa.Column('published_at', sa.DateTime(), nullable=False),
        sa.Column('published_by', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['published_by'], ['staff_users.id'], ),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('service_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_versions_service_id'), ['service_id'], unique=False)
        batch_op.create_index('ux_service_versions_number', ['service_id', 'number'], unique=True)
        batch_op.create_index('ux_service_versions_version', ['service_id', 'version'], unique=True)
    op.create_table(
        'service_drafts',
        sa.Column('service_id', sa.String(length=80), nullable=False),
        sa.Column('yaml_text', sa.Text(), nullable=False),
        sa.Column('hints_json', sa.Text(), nullable=True),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('updated_by', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['updated_by'], ['staff_users.id'], ),
        sa.PrimaryKeyConstraint('service_id'),
    )


def downgrade():
    op.drop_table('service_drafts')
    with op.batch_alter_table('service_versions', schema=None) as batch_op:
        batch_op.drop_index('ux_service_versions_version')
        batch_op.drop_index('ux_service_versions_number')
        batch_op.drop_index(batch_op.f('ix_service_versions_service_id'))
    op.drop_table('service_versions')
