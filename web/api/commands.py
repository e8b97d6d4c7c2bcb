"""Admin commands for API tokens: ``flask --app web tokens create|list|revoke``."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from web.api import tokens as api_tokens
from web.models import ApiToken, db

tokens = AppGroup("tokens", help="API tokens for other systems: create, list, revoke.")


@tokens.command("create")
@click.argument("name")
@click.option("--scope", type=click.Choice(api_tokens.SCOPES), default="read", show_default=True,
              help="read: see the queue and submissions; write: also change status and request documents")
@click.option("--service", "services", multiple=True, required=True,
              help="a service the token may see (repeat for more)")
def create(name: str, scope: str, services: tuple[str, ...]) -> None:
    """Make a token; it is shown once, here, and only its hash is kept."""
    from web import jobs

    try:
        made = api_tokens.create(name, scope, list(services), set(jobs.services()))
    except api_tokens.TokenError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"created token {made.row.id} ({made.row.scope}) for {', '.join(sorted(made.row.services))}")
    click.echo("copy it now; it cannot be shown again:")
    click.echo(made.token)


@tokens.command("list")
def list_tokens() -> None:
    """Every token: id, prefix, name, scope, services, last use, and whether it is revoked."""
    for row in db.session.query(ApiToken).order_by(ApiToken.id):
        used = row.last_used_at.isoformat(timespec="minutes") if row.last_used_at else "never"
        state = f"revoked {row.revoked_at.isoformat(timespec='minutes')}" if row.revoked_at else "active"
        click.echo(f"{row.id}\t{api_tokens.MARK}{row.prefix}…\t{row.name}\t{row.scope}\t"
                   f"{','.join(sorted(row.services))}\tlast used {used}\t{state}")


@tokens.command("revoke")
@click.argument("token")
def revoke(token: str) -> None:
    """Stop a token at once (by its id or its prefix)."""
    try:
        row = api_tokens.find(token)
    except api_tokens.TokenError as exc:
        raise click.ClickException(str(exc)) from None
    api_tokens.revoke(row)
    click.echo(f"revoked token {row.id} ({row.name})")
