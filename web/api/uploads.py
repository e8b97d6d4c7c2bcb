"""Reading the files of a multipart request for the API, through the web form's own
``packets.collect``, so a file is refused with the same code and words on both.

The API names the unlabelled files' part ``files`` (the web form says ``everything``). A
stateless check refuses the whole request when one file is refused; the submission routes,
like the web form, keep the good files and list the refused ones beside the submission
(:func:`listed`). When nothing can be kept, each refusal becomes one entry of the problem's
``errors`` with its stable code, and the HTTP status follows the code: too big is 413, a type
we cannot read is 415, the rest is 422.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import NoReturn

from flask import request
from flask_babel import gettext as _

from intake.services import Service
from web.api.problems import ApiProblem
from web.citizen import packets
from web.models import Submission

UNLABELLED = "files"
_WEB_UNLABELLED = "everything"
_STATUS = {"file.too_large": 413, "packet.too_large": 413, "packet.too_many_files": 413, "file.not_pdf": 415}


def _require_multipart() -> None:
    if request.mimetype != "multipart/form-data":
        raise ApiProblem(415, "http.unsupported_media_type",
                         _("Send the files as multipart/form-data, with one part for each file."))


def _field(anchor: str) -> str:
    return UNLABELLED if anchor == _WEB_UNLABELLED else anchor


def read(service: Service, taken: dict[str, str] | None = None, *, keep_good: bool = False,
         submission: Submission | None = None) -> packets.Incoming:
    """The request's files by checklist item; a problem names every file refused.

    With ``keep_good``, a refused file is left in ``refused`` (not yet audited) while some other
    file can be kept; the problem comes only when every file, or the upload as a whole, is refused."""
    _require_multipart()
    parts = request.files.to_dict(flat=False)
    unknown = [key for key in parts
               if key != UNLABELLED and not (key.startswith("item-") and key[5:] in service.items)]
    if unknown:
        raise ApiProblem(422, "file.unrecognised", _("Use files, or item- followed by an item id from the "
                                                     "service's checklist."),
                         [{"field": key[:100], "code": "file.unrecognised", "message": _(
                             "There is no checklist item %(item)s in this service.", item=key[:100])}
                          for key in unknown])
    if UNLABELLED in parts:
        parts[_WEB_UNLABELLED] = parts.pop(UNLABELLED)
    incoming = packets.collect(parts, service, taken=taken)
    if incoming.refused and not (keep_good and packets.keeps_some(incoming, incoming.refused)):
        refuse(service, incoming.refused, submission)
    if not incoming.files:
        raise ApiProblem(422, "request.no_files", _("Choose at least one file to upload."),
                         [{"field": UNLABELLED, "code": "request.no_files",
                           "message": _("Choose at least one file to upload.")}])
    return incoming


def refuse(service: Service, refused: Iterable[packets.Refusal], submission: Submission | None = None) -> NoReturn:
    """Audit the refusals as the web does, and answer with one problem listing them all."""
    refused = list(refused)
    packets.refuse(service, refused, submission)
    statuses = {_STATUS.get(r.code, 422) for r in refused}
    status = 413 if 413 in statuses else 415 if statuses == {415} else 422
    codes = {r.code for r in refused}
    raise ApiProblem(status, codes.pop() if len(codes) == 1 else "request.files",
                     _("Some files could not be used. Each one is listed in errors with what to do."),
                     [{"field": _field(r.anchor), "code": r.code, "message": r.message} for r in refused])


def listed(refused: Iterable[packets.Refusal]) -> list[dict[str, str]]:
    """The refused files of an upload that kept others, as its answer lists them: each one's
    name, the part it came in, its stable code and what to do."""
    return [{"file": r.name or "", "field": _field(r.anchor), "code": r.code, "message": r.message} for r in refused]


def body_hash(incoming: packets.Incoming, **fields: str) -> str:
    """What a request asked for, as one hash: the fields and every file's item, name and bytes
    (a refused file's too, so a retry with another bad file is another request)."""
    digest = hashlib.sha256()
    for key in sorted(fields):
        digest.update(f"{key}={fields[key]}\n".encode())
    for item, upload in incoming.files:
        digest.update(f"{item or ''}\t{upload.name}\t{upload.sha256}\n".encode())
    for refusal in incoming.refused:
        digest.update(f"refused\t{refusal.item or ''}\t{refusal.name}\t{refusal.sha256}\n".encode())
    return digest.hexdigest()
