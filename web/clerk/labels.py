"""Words for the states a clerk reads: the queue's statuses, the check's and each document's."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

_LABELS = {
    "new": _l("new"),
    "in_review": _l("in review"),
    "needs_documents": _l("needs documents"),
    "ready": _l("ready for visit"),
    "ready:mail": _l("ready to send"),
    "ready:mixed": _l("ready for visit or to send"),
    "rejected": _l("rejected"),
    "complete": _l("complete"),
    "incomplete": _l("incomplete"),
    "invalid": _l("invalid"),
    "checking": _l("checking"),
    "queued": _l("waiting to be checked"),
    "running": _l("being checked"),
    "done": _l("done"),
    "failed": _l("failed"),
    "provided": _l("provided"),
    "missing": _l("missing"),
    "not_needed": _l("not needed"),
    "waived": _l("waived"),
}


def label(status: str, by_mail: bool = False, *, mixed: bool = False) -> str:
    """The status in the reader's language; an unknown one is shown as it is, readably. For a
    service sent by mail (``visit.mode: mail``) "ready" is ready to send, never for a visit; for a
    list that mixes both kinds of service (``mixed``) it names both."""
    variant = "mixed" if mixed else "mail" if by_mail else None
    found = (_LABELS.get(f"{status}:{variant}") if variant else None) or _LABELS.get(status)
    return str(found) if found is not None else status.replace("_", " ")
