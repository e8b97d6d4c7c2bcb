"""The marshmallow schemas of the API: the single source of its OpenAPI document.

Response schemas accept extra keys (``unknown = INCLUDE``), so adding a key to a response
later is not a breaking change. Reports are sent exactly as the library made them
(:class:`Verbatim`), so the API, the web pages and the CLI can never drift apart.
"""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from intake.services import VISIT_MODES
from web.clerk.queue import SORTS
from web.models import STATUSES


def text(most: int, least: int = 0) -> list[validate.Validator]:
    """A length, and no NUL character: databases refuse to store one, and no person types it."""
    return [validate.Length(min=least, max=most), validate.Regexp(r"^[^\x00]*$", error="Remove the NUL character.")]


class Open(ma.Schema):
    class Meta:
        unknown = ma.INCLUDE


class Verbatim(fields.Nested):
    """Documented as the nested schema, sent exactly as it is (the library's own JSON)."""

    def _serialize(self, nested_obj: Any, attr: Any, obj: Any, **kwargs: Any) -> Any:
        return nested_obj


# --- Arguments -------------------------------------------------------------------------

class LangArgs(ma.Schema):
    lang = fields.String(validate=validate.OneOf(("en", "es")),
                         metadata={"description": "Language of titles and messages (default: Accept-Language)"})


class ServiceSearchArgs(LangArgs):
    q = fields.String(validate=validate.Length(max=200), metadata={"description": (
        "Only the services these words find, as the home page's search finds them: titles in either "
        "language, form numbers with or without a dash (W9, W-9) and the service's other names")})


FILES_DESCRIPTION = ("PDF, JPEG, PNG or HEIC files. Put them in `files` and the checker sorts them, or label each with "
                     "its checklist item as `item-<id>` (for example `item-ds11`).")


def _binary_list(description: str) -> fields.List[Any]:
    return fields.List(fields.String(metadata={"format": "binary"}), metadata={"description": description})


class CheckForm(ma.Schema):
    """The multipart body of ``POST /checks``; the view reads the files, other parts are ignored."""

    class Meta:
        unknown = ma.EXCLUDE

    service = fields.String(required=True, metadata={"description": "The service id, from GET /services"})
    files = _binary_list(FILES_DESCRIPTION)


class SubmissionForm(CheckForm):
    zip = fields.String(metadata={"description": "The citizen's ZIP code (optional), for finding the check again"})


class FilesForm(ma.Schema):
    class Meta:
        unknown = ma.EXCLUDE

    files = _binary_list(FILES_DESCRIPTION)
    replace = fields.List(fields.String(), metadata={
        "description": "Checklist items whose earlier files the new files replace"})


class IdempotencyHeader(ma.Schema):
    idempotency_key = fields.String(data_key="Idempotency-Key", validate=text(150, least=1),
                                    metadata={"description": "A key of your choice: a retry with the same key "
                                              "and body returns the first answer; another body is refused"})


class ConditionalHeader(ma.Schema):
    if_none_match = fields.String(data_key="If-None-Match", validate=text(1000), metadata={
        "description": "The ETag of an earlier answer: a 304 with no body while nothing has changed"})


class ExportArgs(ma.Schema):
    """The web queue's filters; as on the web, a value that makes no sense is ignored."""

    service = fields.String(validate=text(80), metadata={"description": "One service id"})
    status = fields.String(validate=text(40),
                           metadata={"description": f"One of {', '.join(STATUSES)}"})
    q = fields.String(validate=text(100), metadata={"description": "Part of a reference code"})
    received_from = fields.String(validate=text(20), metadata={
        "format": "date", "description": "Received on or after this day (UTC)"})
    received_to = fields.String(validate=text(20), metadata={
        "format": "date", "description": "Received on or before this day (UTC)"})
    missing = fields.String(validate=text(80), metadata={
        "description": "A checklist item the latest check still misses"})
    sort = fields.String(validate=text(20), metadata={
        "enum": list(SORTS), "description": "oldest (the default), newest, or changed"})


class QueueArgs(ExportArgs):
    lang = fields.String(validate=validate.OneOf(("en", "es")),
                         metadata={"description": "Language of titles and messages (default: Accept-Language)"})
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100000))


class StatusChange(ma.Schema):
    to = fields.String(required=True, validate=validate.OneOf(STATUSES))
    reason = fields.String(validate=text(4000), metadata={
        "description": "Needed to reject unless reason_id is given: the citizen reads it, after the canned "
                       "reason when both are given"})
    reason_id = fields.String(validate=text(60), metadata={
        "description": "One of the canned reasons the service file gives for this decision; the "
                       "citizen reads its words in their language. An unknown one is refused with "
                       "`reason.unknown`"})


class DocumentRequestIn(ma.Schema):
    items = fields.List(fields.String(validate=text(80)), required=True,
                        validate=validate.Length(min=1, max=50),
                        metadata={"description": "Checklist item ids (forms and documents) to ask for"})
    note = fields.String(validate=text(2000), metadata={"description": "What the citizen reads"})
    reason_id = fields.String(validate=text(60), metadata={
        "description": "One of the service's canned reasons for asking for documents; without a note, the "
                       "citizen reads its words in their language. An unknown one is refused with "
                       "`reason.unknown`"})
    clerk = fields.Email(required=True, metadata={
        "description": "The email of the staff member the request is made for; the citizen's to-do list and "
                       "the audit trail name them"})


# --- The catalogue ---------------------------------------------------------------------

class ConditionSchema(Open):
    form = fields.String(allow_none=True)
    field = fields.String(required=True)
    op = fields.String(required=True, metadata={"description": "is, is_not, in or filled"})
    value = fields.Raw(allow_none=True)
    reason = fields.String(required=True, metadata={"description": "The condition in plain words"})


class FieldSchema(Open):
    id = fields.String(required=True)
    label = fields.String(required=True)
    type = fields.String(required=True)
    required = fields.Boolean(required=True)
    required_when = fields.Nested(ConditionSchema, allow_none=True)
    one_of = fields.List(fields.String())
    min_length = fields.Integer(allow_none=True)
    max_length = fields.Integer(allow_none=True)
    min = fields.Float(allow_none=True)
    max = fields.Float(allow_none=True)
    sensitive = fields.Boolean(required=True)


class FormSchema(Open):
    id = fields.String(required=True)
    title = fields.String(required=True)
    url = fields.String(allow_none=True)
    required = fields.Boolean(required=True)
    required_when = fields.Nested(ConditionSchema, allow_none=True)
    fields_ = fields.List(fields.Nested(FieldSchema), data_key="fields", attribute="fields", required=True)


class KindSchema(Open):
    id = fields.String(required=True)
    title = fields.String(required=True)


class DocumentSchema(Open):
    id = fields.String(required=True)
    title = fields.String(required=True)
    description = fields.String(allow_none=True)
    required = fields.Boolean(required=True)
    required_when = fields.Nested(ConditionSchema, allow_none=True)
    any_of = fields.List(fields.Nested(KindSchema), required=True)
    max_age_days = fields.Integer(allow_none=True)
    min_pages = fields.Integer(allow_none=True)
    accept = fields.List(fields.String(), required=True)
    bring_original = fields.Boolean(required=True)


class OfficeSchema(Open):
    name = fields.String(required=True)
    address = fields.String(required=True)
    hours = fields.String(allow_none=True)
    appointments = fields.String(allow_none=True)


class VisitSchema(Open):
    bring = fields.List(fields.String(), required=True)
    offices = fields.List(fields.Nested(OfficeSchema), required=True)
    mode = fields.String(required=True, validate=validate.OneOf(VISIT_MODES), metadata={"description": (
        "How the papers reach the office: `in_person` (the citizen brings them to a visit) or `mail` "
        "(the citizen sends them; there is no visit and no appointment)")})
    fees = fields.String(required=True, allow_none=True, metadata={
        "description": "What the service costs and how to pay, in the request's language; null when not given"})


class LimitsSchema(Open):
    max_file_mb = fields.Integer(required=True)
    max_packet_mb = fields.Integer(required=True)
    max_files = fields.Integer(required=True)
    accept = fields.List(fields.String(), required=True)


class ServiceSummarySchema(Open):
    id = fields.String(required=True)
    version = fields.String(required=True)
    title = fields.String(required=True)
    summary = fields.String(allow_none=True)


class ServiceListSchema(Open):
    lang = fields.String(required=True)
    services = fields.List(fields.Nested(ServiceSummarySchema), required=True)


class ServiceSchema(ServiceSummarySchema):
    lang = fields.String(required=True)
    forms = fields.List(fields.Nested(FormSchema), required=True)
    documents = fields.List(fields.Nested(DocumentSchema), required=True)
    visit = fields.Nested(VisitSchema, required=True)
    limits = fields.Nested(LimitsSchema, required=True)


# --- The report (DESIGN.md section 4) --------------------------------------------------

class ReportProblemSchema(Open):
    code = fields.String(required=True)
    severity = fields.String(required=True, metadata={"enum": ["blocks", "warning", "bring_original"]})
    file = fields.String()
    form = fields.String()
    field = fields.String()
    page = fields.Integer()
    label = fields.String(allow_none=True)
    params = fields.Dict(keys=fields.String())
    message = fields.String(required=True)


class FormResultSchema(Open):
    form = fields.String(required=True)
    title = fields.String(required=True)
    file = fields.String(required=True)
    sha256 = fields.String(required=True)
    values = fields.Dict(keys=fields.String(), required=True)
    value_words = fields.Dict(keys=fields.String(), values=fields.String(), metadata={"description": (
        "The words the citizen read for answers the form stores as codes, by field id, in the "
        "report's language (\"Married\" for Choice2); values keeps the code. Reports made before "
        "it was added have none.")})
    problems = fields.List(fields.Nested(ReportProblemSchema), required=True)


class DocumentResultSchema(Open):
    id = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.String(required=True, metadata={"description": "provided, missing, not_needed or invalid"})
    file = fields.String(required=True, allow_none=True)
    files = fields.List(fields.String(), required=True)
    kind = fields.String()
    reason = fields.String()
    problems = fields.List(fields.Nested(ReportProblemSchema), required=True)


class MissingSchema(Open):
    kind = fields.String(required=True, metadata={"description": "form, document or field"})
    id = fields.String(required=True)
    title = fields.String(required=True)
    reason = fields.String()


class UnrecognisedSchema(Open):
    file = fields.String(required=True)
    code = fields.String(required=True)
    severity = fields.String(required=True)
    message = fields.String(required=True)


class WaivedSchema(Open):
    kind = fields.String(required=True, metadata={"description": "missing or problem"})
    target = fields.String(required=True)
    title = fields.String(required=True)
    reason = fields.String(required=True, metadata={"description": "Why the office set it aside"})


class ReportSchema(Open):
    """The report of DESIGN.md section 4, exactly as ``intake.check(...).to_dict(lang)`` makes it."""

    service = fields.String(required=True)
    service_version = fields.String(required=True)
    checked_at = fields.String(required=True, metadata={"format": "date"})
    status = fields.String(required=True, metadata={"enum": ["complete", "incomplete", "invalid"]})
    lang = fields.String(required=True)
    forms = fields.List(fields.Nested(FormResultSchema), required=True)
    documents = fields.List(fields.Nested(DocumentResultSchema), required=True)
    missing = fields.List(fields.Nested(MissingSchema), required=True)
    unrecognised_files = fields.List(fields.Nested(UnrecognisedSchema), required=True)
    bring_in_person = fields.List(fields.String(), required=True)
    waived = fields.List(fields.Nested(WaivedSchema), metadata={
        "description": "Only for a stored submission: what a clerk set aside, with the reason. The report "
                       "and its status are then as they read without those items."})


# --- Submissions ----------------------------------------------------------------------

class StoredFileSchema(Open):
    id = fields.Integer(required=True)
    item = fields.String(allow_none=True)
    name = fields.String(required=True)
    sha256 = fields.String(required=True)
    size = fields.Integer(required=True)
    kind = fields.String(required=True)
    added_at = fields.String(required=True, metadata={"format": "date-time"})


class AskedItemSchema(Open):
    id = fields.String(required=True)
    title = fields.String(required=True)


class RequestSchema(Open):
    items = fields.List(fields.Nested(AskedItemSchema), required=True)
    note = fields.String(allow_none=True)
    created_at = fields.String(required=True, metadata={"format": "date-time"})
    asked_by = fields.String(required=True, metadata={"description": "The staff member who asked"})
    open = fields.Boolean(required=True, metadata={
        "description": "True until a check after the request finds every item given and fine"})
    fulfilled_at = fields.String(allow_none=True, metadata={"format": "date-time"})


class DecisionSchema(Open):
    status = fields.String(required=True, metadata={"enum": ["in_review", "needs_documents", "ready", "rejected"]})
    title = fields.String(required=True, metadata={"description": "The decision in plain words, in the asked language"})
    message = fields.String(required=True)
    next_step = fields.String(required=True, metadata={"description": "What the citizen can do next (may be empty)"})
    reason = fields.String(allow_none=True, metadata={"description": "The clerk's reason, as they wrote it"})
    changed_at = fields.String(required=True, metadata={"format": "date-time"})
    offices = fields.List(fields.Nested(OfficeSchema), required=True, metadata={
        "description": "Where to go, when ready for the visit"})


class RequestListSchema(Open):
    requests = fields.List(fields.Nested(RequestSchema), required=True)


class WorkSchema(Open):
    status = fields.String(required=True, metadata={"enum": list(STATUSES)})
    reason = fields.String(allow_none=True)
    changed_at = fields.String(required=True, metadata={"format": "date-time"})


class CheckStateSchema(Open):
    state = fields.String(required=True, metadata={
        "enum": ["queued", "running", "done", "failed"],
        "description": "Where the newest check stands. With check workers, a new upload's check is queued, then "
                       "running; poll the submission until it is done (or failed)."})
    queued_at = fields.String(required=True, metadata={"format": "date-time"})
    finished_at = fields.String(allow_none=True, metadata={"format": "date-time"})
    ahead = fields.Integer(required=True, metadata={"description": "Queued checks ahead of this one"})


class CheckCountsSchema(Open):
    files = fields.Integer(required=True, metadata={"description": "Files the check reads"})
    ahead = fields.Integer(required=True, metadata={
        "description": "Queued checks ahead of this one (0 once it runs or has finished)"})


class CheckLinksSchema(Open):
    report = fields.String(required=True, metadata={
        "description": "The latest finished report, in full (a 409 until the first check is done)"})
    submission = fields.String(required=True, metadata={"description": "The whole submission"})


class CheckStatusSchema(Open):
    """The newest check of a submission, light enough to poll: no report, no words."""

    reference = fields.String(required=True, metadata={"description": "The reference code, as stored"})
    state = fields.String(required=True, metadata={
        "enum": ["queued", "running", "done", "failed"],
        "description": "Where the newest check stands: queued, then running, then done (its report is ready) "
                       "or failed (after its retry; the files are kept and the office sees why)"})
    queued_at = fields.String(required=True, metadata={"format": "date-time"})
    started_at = fields.String(required=True, allow_none=True, metadata={"format": "date-time"})
    finished_at = fields.String(required=True, allow_none=True, metadata={"format": "date-time"})
    counts = fields.Nested(CheckCountsSchema, required=True)
    links = fields.Nested(CheckLinksSchema, required=True)


class SubmissionSchema(Open):
    reference = fields.String(required=True, metadata={"description": "The reference code, as stored"})
    display_reference = fields.String(required=True, metadata={"description": "Grouped for reading: ACD-EFG-HJK"})
    service = fields.String(required=True)
    status = fields.String(required=True, metadata={
        "enum": ["complete", "incomplete", "invalid", "checking"],
        "description": "The latest report's status; checking until the first report is ready"})
    created_at = fields.String(required=True, metadata={"format": "date-time"})
    updated_at = fields.String(required=True, metadata={"format": "date-time"})
    files = fields.List(fields.Nested(StoredFileSchema), required=True)
    check = fields.Nested(CheckStateSchema, required=True)
    report = Verbatim(ReportSchema, required=True, allow_none=True, metadata={
        "description": "The latest finished check's report (null until the first one is done)"})
    requests = fields.List(fields.Nested(RequestSchema), required=True)
    work = fields.Nested(WorkSchema, required=True)
    decision = fields.Nested(DecisionSchema, required=True, allow_none=True, metadata={
        "description": "What the office decided, in plain words (null while no one has looked)"})


class RefusedFileSchema(Open):
    """A file of an upload that was not kept, while the upload's other files were."""

    file = fields.String(required=True, metadata={"description": "The file's name, as shown to the citizen"})
    field = fields.String(required=True, metadata={"description": "The part it was sent in: files or item-<id>"})
    code = fields.String(required=True, metadata={
        "description": "Stable dotted code: the report's file.* codes (file.empty, file.not_pdf, file.damaged, ...)"})
    message = fields.String(required=True, metadata={
        "description": "What to do, in plain words, in the language of the request that sent the file"})


class UploadedSchema(SubmissionSchema):
    """A submission as an upload left it: its files and report, and the files it refused."""

    refused = fields.List(fields.Nested(RefusedFileSchema), required=True, metadata={
        "description": "The files of this upload that were not kept (stored nowhere), each with its code and what "
                       "to do; the others were kept and checked. Empty when every file was kept. When every file "
                       "is refused, the answer is a 413, 415 or 422 problem instead and nothing is kept."})


class NewSubmissionSchema(UploadedSchema):
    secret = fields.String(required=True, metadata={
        "description": "Shown only now: keep it to read and add files later"})


class QueueRowSchema(Open):
    reference = fields.String(required=True)
    display_reference = fields.String(required=True)
    service = fields.String(required=True)
    check_status = fields.String(required=True)
    work = fields.Nested(WorkSchema, required=True)
    claimed = fields.Boolean(required=True)
    created_at = fields.String(required=True, metadata={"format": "date-time"})
    missing = fields.List(fields.String(), required=True)


class QueueSchema(Open):
    items = fields.List(fields.Nested(QueueRowSchema), required=True)
    counts = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    page = fields.Integer(required=True)
    more = fields.Boolean(required=True)
