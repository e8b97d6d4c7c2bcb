"""Decisions reach the citizen: contact details, language, fulfilled requests, notes, messages

Revision ID: 8c4e2a7b5d10
Revises: 3b1f0c2d9a7e
Create Date: 2026-12-02 05:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8c4e2a7b5d10'
down_revision = '3b1f0c2d9a7e'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lang', sa.String(length=5), server_default='en', nullable=False))
        batch_op.add_column(sa.Column('email', sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column('email_consent_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('email_link', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('phone', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('visit_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('reminded_at', sa.DateTime(), nullable=True))
    with op.batch_alter_table('document_requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('fulfilled_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('fulfilled_check_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_document_requests_fulfilled_check', 'checks', ['fulfilled_check_id'],
                                    ['id'], ondelete='SET NULL')
    op.create_table(
        'notes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('submission_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['staff_users.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notes_submission_id'), ['submission_id'], unique=False)
    op.create_table(
        'notifications',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('submission_id', sa.Integer(), nullable=False),
        sa.Column('channel', sa.String(length=10), nullable=False),
        sa.Column('kind', sa.String(length=30), nullable=False),
        sa.Column('recipient', sa.String(length=254), nullable=False),
        sa.Column('lang', sa.String(length=5), nullable=False),
        sa.Column('subject', sa.Text(), nullable=True),
        sa.Column('state', sa.String(length=10), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('next_try_at', sa.DateTime(), nullable=False),
        sa.Column('sent_at', sa.DateTime(), nullable=True),
        sa.Column('error', sa.Text(), nullable=True),
        sa.Column('message_id', sa.String(length=255), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notifications_submission_id'), ['submission_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notifications_state'), ['state'], unique=False)
        batch_op.create_index(batch_op.f('ix_notifications_next_try_at'), ['next_try_at'], unique=False)


def downgrade():
    op.drop_table('notifications')
    op.drop_table('notes')
    with op.batch_alter_table('document_requests', schema=None) as batch_op:
        batch_op.drop_constraint('fk_document_requests_fulfilled_check', type_='foreignkey')
        batch_op.drop_column('fulfilled_check_id')
        batch_op.drop_column('fulfilled_at')
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.drop_column('reminded_at')
        batch_op.drop_column('visit_date')
        batch_op.drop_column('phone')
        batch_op.drop_column('email_link')
        batch_op.drop_column('email_consent_at')
        batch_op.drop_column('email')
        batch_op.drop_column('lang')
