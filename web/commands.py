"""Admin commands: ``flask --app web users create|list|disable|set-password|grant`` and
``flask --app web submissions purge [--dry-run]``, ``flask --app web checks sweep|list``
for the check workers, and ``flask --app web reminders send`` for messages to citizens."""

from __future__ import annotations

from typing import Any

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from web import accounts
from web.config import ConfigError
from web.models import StaffUser, db

users = AppGroup("users", help="Staff accounts: create, list, disable, set passwords, grant services.")


def _find(email: str) -> StaffUser:
    user = db.session.query(StaffUser).filter_by(email=email.strip().lower()).one_or_none()
    if user is None:
        raise click.ClickException(f"there is no account for {email}")
    return user


@users.command("create")
@click.argument("email")
@click.option("--name", required=True, help="the person's name, shown in the audit log")
@click.option("--role", type=click.Choice(["clerk", "supervisor", "admin"]), default="clerk", show_default=True)
@click.password_option(help="at least 12 characters, not a common password")
def create(email: str, name: str, role: str, password: str) -> None:
    try:
        user = accounts.create(email, name, role, password)
    except accounts.AccountError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"created {user.role} {user.email}")


@users.command("list")
def list_users() -> None:
    for user in db.session.query(StaffUser).order_by(StaffUser.email):
        state = "active" if user.active else "disabled"
        click.echo(f"{user.email}\t{user.role}\t{state}\t{','.join(sorted(user.services)) or '-'}")


@users.command("disable")
@click.argument("email")
def disable(email: str) -> None:
    user = _find(email)
    user.active = False
    user.session_version += 1
    db.session.commit()
    click.echo(f"disabled {user.email}; their sessions have ended")


@users.command("set-password")
@click.argument("email")
@click.password_option()
def set_password(email: str, password: str) -> None:
    user = _find(email)
    try:
        user.password_hash = accounts.hash_password(password)
    except accounts.AccountError as exc:
        raise click.ClickException(str(exc)) from None
    user.session_version += 1
    db.session.commit()
    click.echo(f"password changed for {user.email}; their other sessions have ended")


@users.command("grant")
@click.argument("email")
@click.argument("service")
def grant(email: str, service: str) -> None:
    from web import jobs

    if service not in jobs.services():
        raise click.ClickException(f"there is no service {service!r}; known: {', '.join(jobs.services())}")
    user = _find(email)
    accounts.grant(user, service)
    click.echo(f"{user.email} may now see {service}")


submissions = AppGroup("submissions", help="Submissions: delete those past their service's retention period.")


@submissions.command("purge")
@click.option("--dry-run", is_flag=True, help="list what would be deleted, and delete nothing")
def purge(dry_run: bool) -> None:
    """Delete submissions and their files past the retention period of their service (30 days
    unless the service file says otherwise), and stored files no submission uses."""
    from flask import current_app

    from web import jobs, retention

    found = retention.expired(jobs.services())
    location = current_app.config["STORAGE"]
    for item in found:
        click.echo(f"{item.reference}\t{item.service_id}\tlast changed {item.last_change:%Y-%m-%d}\t"
                   f"{item.files} file(s)")
    if dry_run:
        orphans = retention.orphans(location)
        click.echo(f"would delete {len(found)} submission(s) and {len(orphans)} unused stored file(s) now, "
                   "and the files of those submissions that no other submission uses")
        return
    deleted, files = retention.purge([item.id for item in found], location)
    click.echo(f"deleted {deleted} submission(s) and {files} stored file(s)")


checks = AppGroup("checks", help="Checks run by the check workers: send overdue ones again, list unfinished ones.")


@checks.command("sweep")
def sweep_checks() -> None:
    """Send again every check left queued or running past its deadline (cron, where no beat runs)."""
    from web import checkqueue

    if not checkqueue.enabled():
        raise click.ClickException("no broker is set (INTAKE_BROKER_URL): every check runs in its request")
    overdue = checkqueue.overdue()
    sent = checkqueue.sweep()
    click.echo(f"{len(overdue)} overdue, {sent} sent again")


@checks.command("list")
def list_checks() -> None:
    """Every check not done: its state, attempts, age and, for a failed one, why."""
    from web.models import CheckRecord, utcnow

    rows = db.session.query(CheckRecord).filter(CheckRecord.state != "done").order_by(CheckRecord.id)
    for row in rows:
        age = int((utcnow() - row.created_at).total_seconds())
        click.echo(f"{row.id}\t{row.state}\tattempts={row.attempts}\tage={age}s\t{row.error or ''}")


reminders = AppGroup("reminders", help="Messages to citizens: visit reminders and messages to try again.")


@reminders.command("send")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="The day to remind as of (default: today).")
def send_reminders(today: Any) -> None:
    """Queue the visit reminders that are due and send every due message (cron, where no beat runs)."""
    from web import mail, notify

    try:
        mail.transport(current_app.config)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc
    counts = notify.send_due(today.date() if today else None)
    click.echo(f"{counts['reminders']} reminder(s) queued; {counts['sent']} sent, {counts['failed']} failed, "
               f"{counts['waiting']} to try again later")


def init_app(app: Flask) -> None:
    app.cli.add_command(users)
    app.cli.add_command(submissions)
    app.cli.add_command(checks)
    app.cli.add_command(reminders)
