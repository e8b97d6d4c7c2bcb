"""Drafts and published versions of service files, as YAML text in the database.

A draft is one admin's unpublished edit (one per service). Publishing checks the draft as
``intake lint`` does, refuses it while it has mistakes, and appends a version with its diff
against the one before (a published version, else the seed file), so every host and worker
picks it up (``web.catalogue``). Nothing here updates or deletes a published version.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from intake.services import Service, ServiceError
from web import catalogue
from web.clerk import work
from web.models import ServiceDraft, ServiceVersion, StaffUser, db, utcnow


class Refused(Exception):
    """A publish that cannot happen now; the message says what to do."""


@dataclass(frozen=True)
class Lint:
    """What the lint says of a draft: the service when it loads, mistakes, and warnings."""

    service: Service | None
    mistakes: tuple[str, ...]
    warnings: tuple[str, ...]
    codes: Mapping[str, str] = field(default_factory=dict)
    """The lint code of each message that has one (a warning's; a schema mistake has none)."""

    @property
    def ok(self) -> bool:
        return self.service is not None and not self.mistakes


def store() -> catalogue.Catalogue:
    found: catalogue.Catalogue = current_app.extensions["intake.catalogue"]
    return found


def seed_folder() -> Path:
    return store().folder


def lint(text: str, service_id: str) -> Lint:
    try:
        service, warnings = catalogue.lint_text(text, service_id, seed_folder())
    except ServiceError as exc:
        return Lint(None, tuple(exc.problems) or (str(exc),), ())
    return Lint(service, tuple(w.text for w in warnings if w.blocking),
                tuple(w.text for w in warnings if not w.blocking), {w.text: w.code for w in warnings})


def load(text: str, service_id: str) -> Service:
    """The draft as a service the checker can run (raises ServiceError while it has mistakes).
    Its path is set in the seed folder, so its samples find their files as the seed's do."""
    import dataclasses
    import tempfile

    with tempfile.TemporaryDirectory(prefix="intake-draft-") as scratch:
        service = catalogue.load_text(text, service_id, seed_folder(), Path(scratch))
    return dataclasses.replace(service, path=seed_folder() / f"{service_id}.yaml")


def seed_text(service_id: str) -> str | None:
    path = seed_folder() / f"{service_id}.yaml"
    if service_id not in store().seed or not path.is_file():
        return None
    return path.read_text(encoding="utf-8")


def history(service_id: str) -> list[ServiceVersion]:
    """Published versions, newest first."""
    return list(db.session.execute(select(ServiceVersion).where(ServiceVersion.service_id == service_id)
                                   .order_by(ServiceVersion.number.desc())).scalars())


def newest(service_id: str) -> ServiceVersion | None:
    return db.session.execute(select(ServiceVersion).where(ServiceVersion.service_id == service_id)
                              .order_by(ServiceVersion.number.desc()).limit(1)).scalar_one_or_none()


def last_text(service_id: str) -> str | None:
    """The text offered now: the newest published version, else the seed file."""
    row = newest(service_id)
    return row.yaml_text if row is not None else seed_text(service_id)


def taken_versions(service_id: str) -> set[str]:
    names = set(db.session.execute(select(ServiceVersion.version)
                                   .where(ServiceVersion.service_id == service_id)).scalars())
    seed = store().seed.get(service_id)
    return names | ({seed.version} if seed is not None else set())


def suggest_version(service_id: str, today: dt.date | None = None) -> str:
    """A new version name: today's date, then today's date with .2, .3, ... when it is taken."""
    day = (today or dt.date.today()).isoformat()
    taken = taken_versions(service_id)
    if day not in taken:
        return day
    n = 2
    while f"{day}.{n}" in taken:
        n += 1
    return f"{day}.{n}"


def diff(before: str | None, after: str, service_id: str) -> str:
    """A unified diff of the YAML text, as reviewers read one."""
    lines = difflib.unified_diff((before or "").splitlines(keepends=True), after.splitlines(keepends=True),
                                 fromfile=f"{service_id} (offered now)" if before else "(new service)",
                                 tofile=f"{service_id} (this version)", n=2)
    return "".join(lines)


def draft(service_id: str) -> ServiceDraft | None:
    return db.session.get(ServiceDraft, service_id)


def save_draft(service_id: str, text: str, user: StaffUser, hints: dict[str, str] | None = None) -> ServiceDraft:
    """Keep the admin's edit (the caller commits)."""
    row = draft(service_id)
    if row is None:
        row = ServiceDraft(service_id=service_id, yaml_text=text, updated_by=user.id,
                           hints_json=json.dumps(hints or {}, ensure_ascii=False))
        db.session.add(row)
    else:
        row.yaml_text = text
        row.updated_by = user.id
        row.updated_at = utcnow()
        if hints is not None:
            row.hints_json = json.dumps(hints, ensure_ascii=False)
    return row


def hints(row: ServiceDraft | None) -> dict[str, str]:
    return dict(json.loads(row.hints_json)) if row is not None and row.hints_json else {}


def publish(service_id: str, user: StaffUser, note: str = "") -> ServiceVersion:
    """The draft becomes the newest version of the service, offered everywhere within seconds."""
    row = draft(service_id)
    if row is None:
        raise Refused(_("There is no draft to publish. Start a draft first."))
    checked = lint(row.yaml_text, service_id)
    if not checked.ok or checked.service is None:
        raise Refused(_("The draft has mistakes. Fix the ones listed on the edit page, then publish."))
    version = checked.service.version
    if version in taken_versions(service_id):
        raise Refused(_("A version called %(version)s was published before. Give this one a new version "
                        "name, like %(suggested)s.", version=version, suggested=suggest_version(service_id)))
    before = last_text(service_id)
    number = int(db.session.execute(select(func.coalesce(func.max(ServiceVersion.number), 0))
                                    .where(ServiceVersion.service_id == service_id)).scalar_one()) + 1
    published = ServiceVersion(service_id=service_id, number=number, version=version, yaml_text=row.yaml_text,
                               diff_text=diff(before, row.yaml_text, service_id), summary=note.strip() or None,
                               published_by=user.id)
    db.session.add(published)
    db.session.delete(row)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise Refused(_("Someone published this service at the same moment. Open it again to see "
                        "the newest version, then publish.")) from None
    work.audit(user, "service_published", service=service_id, version=version, number=number)
    db.session.commit()
    store().refresh()
    return published


def set_version(text: str, version: str) -> str:
    """The text with its ``version`` key set (the rest as it was, comments too)."""
    import re

    line = re.compile(r"""^version:[ \t]*(?:"[^"\n]*"|'[^'\n]*'|[^#\n]*?)[ \t]*(#.*)?$""", re.MULTILINE)
    if len(line.findall(text)) == 1:
        quoted = json.dumps(version, ensure_ascii=False)
        return line.sub(lambda m: f"version: {quoted}" + (f"  {m.group(1)}" if m.group(1) else ""), text)
    data = round_trip(text)
    if not data:
        return text
    data["version"] = version
    return dump(data)


def _yaml() -> Any:
    """ruamel.yaml in round-trip mode, set to write service files as their authors do: comments,
    quotes, flow mappings and ``null`` kept, two spaces of indent, dashes indented, no wrapping."""
    from ruamel.yaml import YAML

    handler = YAML(typ="rt")
    handler.width = 4096
    handler.preserve_quotes = True
    handler.indent(mapping=2, sequence=4, offset=2)
    handler.representer.add_representer(
        type(None), lambda writer, _value: writer.represent_scalar("tag:yaml.org,2002:null", "null"))
    return handler


def round_trip(text: str) -> Any:
    """The draft's keys as a mapping that remembers its comments and layout ({} when the text is
    not a mapping): edit it in place, then :func:`dump` it. Scalars are written back as they
    were written, so the lint (``yaml.safe_load``) reads an unedited key as it did before."""
    from ruamel.yaml.error import YAMLError

    try:
        data = _yaml().load(text)
    except YAMLError:
        return {}
    return data if isinstance(data, dict) else {}


def flow(entries: dict[str, Any]) -> Any:
    """A new small mapping written on one line, ``{en: ..., es: ...}``, as the service files do."""
    from ruamel.yaml.comments import CommentedMap

    out = CommentedMap(entries)
    out.fa.set_flow_style()
    return out


def block() -> Any:
    """A new empty mapping written over several lines, as the service files write an office."""
    from ruamel.yaml.comments import CommentedMap

    return CommentedMap()


def remove(mapping: dict[str, Any], key: str) -> None:
    """Delete ``key``. ruamel.yaml keeps the whole-line comments written below a key with that
    key; they are about what follows, so they stay, above the next key."""
    items = getattr(getattr(mapping, "ca", None), "items", {})
    token = (items.get(key) or [None, None, None])[2]
    keys = list(mapping)
    following = keys[keys.index(key) + 1] if keys.index(key) + 1 < len(keys) else None
    del mapping[key]
    below = token.value.partition("\n")[2] if token is not None else ""
    lines = [line.strip() for line in below.splitlines() if line.strip().startswith("#")]
    if not lines or following is None:
        return
    indent = len(below) - len(below.lstrip(" "))
    mapping.yaml_set_comment_before_after_key(  # type: ignore[attr-defined]
        following, before="\n".join(line[1:].removeprefix(" ") for line in lines), indent=indent)


def dump(data: object) -> str:
    """YAML text of ``data``: a :func:`round_trip` mapping keeps the comments it was read with."""
    import io

    out = io.StringIO()
    _yaml().dump(data, out)
    return out.getvalue()


def put(mapping: Any, key: str, value: Any) -> None:
    """Set ``key`` unless it already holds ``value`` (an unchanged scalar keeps its quotes and
    comments); an empty ``value`` removes the key."""
    if value in (None, "", [], {}):
        mapping.pop(key, None)
    elif mapping.get(key) != value:
        mapping[key] = value


def put_words(mapping: Any, key: str, en: str, es: str) -> None:
    """``{en: ..., es: ...}`` under ``key``, edited in place when it is there (its layout stays);
    both empty removes the key. One language left empty is written empty, for the lint to name."""
    en, es = en.strip(), es.strip()
    if not en and not es:
        mapping.pop(key, None)
        return
    old = mapping.get(key)
    if isinstance(old, dict):
        words_into(old, en, es)
    else:
        mapping[key] = flow({"en": en, "es": es})


def words_into(old: Any, en: str, es: str) -> None:
    """An ``{en, es}`` mapping given new words in place: only a changed language is written."""
    for lang, words in (("en", en.strip()), ("es", es.strip())):
        if old.get(lang) != words:
            old[lang] = words


def place(mapping: Any, key: str, value: Any, before: tuple[str, ...]) -> None:
    """A new ``key`` in ``mapping``, just before the first of ``before`` that it has (else last),
    where authors write it."""
    keys = list(mapping)
    at = next((keys.index(k) for k in before if k in keys), len(keys))
    if hasattr(mapping, "insert"):
        mapping.insert(at, key, value)
    else:
        mapping[key] = value


def rows_into(parent: Any, key: str, answers: Mapping[str, str], prefix: str, parts: tuple[str, ...],
              write: Callable[[Any, Mapping[str, str], str], None], make: Callable[[], Any],
              before: tuple[str, ...]) -> None:
    """A list of entries edited as rows (``<prefix>-<i>-<part>`` inputs, one ``<prefix>-new`` row):
    each row shown is written, removed when asked or emptied, a new one added when given; a list
    written as something else is never written over, and an emptied list is left out."""
    found = parent.get(key)
    if found is not None and not isinstance(found, list):
        return
    rows = found if found is not None else []

    def given(name: str) -> bool:
        return any((answers.get(f"{name}-{part}") or "").strip() for part in parts)

    for i in reversed(range(len(rows))):
        name = f"{prefix}-{i}"
        if f"{name}-{parts[0]}" not in answers or not isinstance(rows[i], dict):
            continue
        if answers.get(f"{name}-remove") or not given(name):
            del rows[i]
        else:
            write(rows[i], answers, name)
    if given(f"{prefix}-new"):
        made = make()
        write(made, answers, f"{prefix}-new")
        rows.append(made)
    if rows and found is None:
        place(parent, key, rows, before)
    elif not rows and found is not None:
        del parent[key]
