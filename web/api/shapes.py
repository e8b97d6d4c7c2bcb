"""What the API says about a service, a submission and a queue row, in one language.

Plain dictionaries shaped like the schemas in ``schemas``; reports are the stored JSON,
exactly as the library made them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from flask import current_app

from intake import rules
from intake.services import Condition, FieldSpec, FormSpec, Service
from web import checkqueue, decisions, references, waivers
from web.citizen import packets
from web.clerk import queue
from web.clerk import work as clerk_work
from web.models import Submission, WorkItem


def when(moment: dt.datetime) -> str:
    """Stored times are UTC without a zone; the API says so."""
    return moment.replace(tzinfo=dt.UTC).isoformat()


def _value(value: Any) -> Any:
    return list(value) if isinstance(value, tuple | set | frozenset) else value


def _condition(service: Service, condition: Condition | None, lang: str, form: str | None = None) -> Any:
    if condition is None:
        return None
    return {"form": condition.form or form, "field": condition.field, "op": condition.op,
            "value": _value(condition.value), "reason": rules.reason(service, condition, form).get(lang)}


def _field(service: Service, form: FormSpec, spec: FieldSpec, lang: str) -> dict[str, Any]:
    return {"id": spec.id, "label": spec.label.get(lang) if spec.label else rules.humanise(spec.id),
            "type": spec.type, "required": spec.required,
            "required_when": _condition(service, spec.required_when, lang, form.id),
            "one_of": list(spec.one_of), "min_length": spec.min_length, "max_length": spec.max_length,
            "min": spec.min, "max": spec.max, "sensitive": spec.sensitive}


def service_summary(service: Service, lang: str) -> dict[str, Any]:
    return {"id": service.id, "version": service.version, "title": service.title.get(lang),
            "summary": service.summary.get(lang) if service.summary else None}


def service(service: Service, lang: str) -> dict[str, Any]:
    """The checklist: forms with their fields, documents, conditions, the visit and the limits."""
    config = current_app.config
    forms = [{"id": f.id, "title": f.title.get(lang), "url": f.url, "required": f.required,
              "required_when": _condition(service, f.required_when, lang),
              "fields": [_field(service, f, spec, lang) for spec in f.fields.values()]} for f in service.forms]
    documents = [{"id": d.id, "title": d.title.get(lang),
                  "description": d.description.get(lang) if d.description else None,
                  "required": d.required, "required_when": _condition(service, d.required_when, lang),
                  "any_of": [{"id": k, "title": service.kinds[k].title.get(lang)} for k in d.any_of
                             if k in service.kinds],
                  "max_age_days": d.max_age_days, "min_pages": d.min_pages, "accept": list(d.accept),
                  "bring_original": d.bring_original} for d in service.documents]
    visit = {"bring": [w.get(lang) for w in service.visit.bring],
             "offices": [{"name": o.name, "address": o.address, "hours": o.hours.get(lang) if o.hours else None,
                          "appointments": o.appointments} for o in service.visit.offices],
             "mode": service.visit.mode, "fees": service.visit.fees.get(lang) if service.visit.fees else None}
    limits = {"max_file_mb": int(config["MAX_FILE_MB"]), "max_packet_mb": int(config["MAX_PACKET_MB"]),
              "max_files": int(config["MAX_FILES"]), "accept": list(packets.ACCEPTED)}
    return service_summary(service, lang) | {"lang": lang, "forms": forms, "documents": documents, "visit": visit,
                                              "limits": limits}


def requests(submission: Submission, service: Service, lang: str) -> list[dict[str, Any]]:
    """What the office asked the citizen for, newest first, and whether each is still open."""
    return [{"items": r["items"], "note": r["note"], "created_at": when(r["created_at"]), "asked_by": r["asked_by"],
             "open": r["open"], "fulfilled_at": when(r["fulfilled_at"]) if r["fulfilled_at"] else None}
            for r in decisions.requests(submission, service, lang)]


def decision(submission: Submission, service: Service, lang: str) -> dict[str, Any] | None:
    found = decisions.decision(submission, service, lang)
    if found is None:
        return None
    return {"status": found["status"], "title": found["title"], "message": found["message"],
            "next_step": found["next_step"], "reason": found["reason"], "changed_at": when(found["changed_at"]),
            "offices": found["offices"]}


def work(item: WorkItem) -> dict[str, Any]:
    return {"status": item.status, "reason": item.reason, "changed_at": when(item.changed_at)}


def submission(submission: Submission, service: Service, lang: str) -> dict[str, Any]:
    """A submission as its citizen and clerks see it: the latest report with the clerks' waivers applied."""
    return submissions(submission, service, (lang,))[lang]


def submissions(submission: Submission, service: Service, langs: Sequence[str]) -> dict[str, dict[str, Any]]:
    """The submission in each of ``langs``, as :func:`submission` gives it in one.

    What has no words (files, the check's state, the clerk's work) is read once. When nothing
    with words is there either (no report yet, no request, no decision, as for a new upload
    whose check is queued), the answer is the same in every language and is made once."""
    newest = submission.checks[-1] if submission.checks else None
    shared = {
        "reference": submission.reference, "display_reference": references.display(submission.reference),
        "service": submission.service_id,
        "created_at": when(submission.created_at), "updated_at": when(submission.updated_at),
        "files": [{"id": f.id, "item": f.item, "name": f.name, "sha256": f.sha256, "size": f.size, "kind": f.kind,
                   "added_at": when(f.created_at)} for f in submission.current_files],
        "check": {"state": newest.state if newest else "done",
                  "queued_at": when(newest.created_at if newest else submission.created_at),
                  "finished_at": when(newest.finished_at) if newest and newest.finished_at else None,
                  "ahead": checkqueue.ahead_of(newest) if newest else 0},
        "work": work(clerk_work.work_item(submission)),
    }
    out: dict[str, dict[str, Any]] = {}
    for lang in langs:
        report = waivers.report(submission, lang) if submission.latest is not None else None
        worded = {"report": report, "requests": requests(submission, service, lang),
                  "decision": decision(submission, service, lang)}
        if not any(worded.values()):
            return {each: shared | worded | {"status": "checking"} for each in langs}
        out[lang] = shared | worded | {"status": report["status"] if report else "checking"}
    return out


def queue_row(submission: Submission, item: WorkItem, summary: queue.Summary) -> dict[str, Any]:
    """One row of the queue, as the clerks' page shows it (waivers applied)."""
    return {"reference": submission.reference, "display_reference": references.display(submission.reference),
            "service": submission.service_id, "check_status": summary.status, "work": work(item),
            "claimed": item.claimed_by is not None, "created_at": when(submission.created_at),
            "missing": list(summary.missing)}
