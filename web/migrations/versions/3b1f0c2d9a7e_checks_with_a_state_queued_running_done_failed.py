"""Checks with a state (queued, running, done, failed), their files, attempts and sender

Revision ID: 3b1f0c2d9a7e
Revises: 7e45ee06eac8
Create Date: 2026-12-02 02:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3b1f0c2d9a7e'
down_revision = '7e45ee06eac8'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('checks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('state', sa.String(length=10), server_default='done', nullable=False))
        batch_op.add_column(sa.Column('files_json', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('attempts', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('started_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('finished_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('client', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('worker', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('error', sa.Text(), nullable=True))
        batch_op.create_index(batch_op.f('ix_checks_state'), ['state'], unique=False)


def downgrade():
    with op.batch_alter_table('checks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_checks_state'))
        batch_op.drop_column('error')
        batch_op.drop_column('worker')
        batch_op.drop_column('client')
        batch_op.drop_column('finished_at')
        batch_op.drop_column('started_at')
        batch_op.drop_column('attempts')
        batch_op.drop_column('files_json')
        batch_op.drop_column('state')
