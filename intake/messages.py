"""Plain-language words for every problem code, in English and Spanish (gettext).

The English text is the gettext message id; translations live in
``intake/locale/<lang>/LC_MESSAGES/intake.po`` (compiled to ``.mo`` next to it). Each
message says what happened, why it matters and what to do next, in plain words at about a
grade-8 reading level, without blaming the person. No HTML inside the strings.
"""

from __future__ import annotations

import gettext
import re
import string
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from intake.words import in_sentence

LANGUAGES = ("en", "es")
DOMAIN = "intake"
_LOCALE_DIR = Path(__file__).with_name("locale")


def N_(message: str) -> str:
    """Marks a string for translation where it is defined; it is translated when shown."""
    return message


# key -> English text (the gettext message id), marked with N_ for `pybabel extract -k N_`.
# Keys are problem codes, "code:variant" for a more precise wording, or words reports use.
TEXTS: Mapping[str, str] = {
    "answer.no": N_("No"),
    "answer.yes": N_("Yes"),
    "bring.original": N_("The original of: {item}"),
    "document.address_mismatch": N_(
        "The address on this document is {found}, but {item} must show an address in {wanted}. Upload a "
        "document with your address in {wanted}."
    ),
    "document.address_mismatch:form": N_(
        "The address on this document ({found}) is not the address on your form ({wanted}). Upload a "
        "document that shows the address you wrote on the form, or correct the form."
    ),
    "document.content": N_("This file does not look like {expected}. Check that you uploaded the right document."),
    "document.content:form": N_(
        "This file is {given}, not {expected}. Upload the document itself (a scan or photo of it is fine)."
    ),
    "document.missing": N_("Add {item}."),
    "document.name_mismatch": N_(
        "We could not find your name ({name}) on this document. If it is in another name, bring proof of "
        "the link, such as a marriage certificate, to your visit."
    ),
    "document.name_mismatch:mail": N_(
        "We could not find your name ({name}) on this document. If it is in another name, send proof of "
        "the link, such as a marriage certificate, with your papers."
    ),
    "document.name_mismatch:shown": N_(
        "This document is in the name of {shown}, not {name}. If that person lives with you, bring proof "
        "of the link, such as a marriage certificate, to your visit, or upload a document in your own name."
    ),
    "document.name_mismatch:shown_mail": N_(
        "This document is in the name of {shown}, not {name}. If that person lives with you, send proof "
        "of the link, such as a marriage certificate, with your papers, or upload a document in your own name."
    ),
    "document.pages": N_("This document has {pages} page(s), but we need at least {need}. Upload all the pages."),
    "document.too_old": N_(
        "This document must be dated within the last {days} days. The newest date on it is {shown}. "
        "Upload a newer one."
    ),
    "document.too_old:not_used": N_(
        "This document is older than {days} days (the newest date on it is {shown}). We used {used} "
        "instead, so you do not need to replace this one."
    ),
    "document.too_old:ocr": N_(
        "This document seems to be dated {shown}, which is more than {days} days ago. We read the date from "
        "a photo and may have misread it: check it, and upload a newer one if it is old."
    ),
    "document.undated": N_(
        "We could not find a date on this document. {item} must be from the last {days} days, so bring "
        "the original to your visit."
    ),
    "document.undated:mail": N_(
        "We could not find a date on this document. {item} must be from the last {days} days, so send "
        "the original with your papers."
    ),
    "document.unreadable": N_(
        "We cannot read this scan or photo. That is all right: bring the original of {item} to your "
        "visit."
    ),
    "document.unreadable:mail": N_(
        "We cannot read this scan or photo. That is all right: send the original of {item} with your "
        "papers."
    ),
    "image.blurry": N_(
        "This photo is blurry, so we cannot read it. Take the photo again: hold the phone still, and tap "
        "the screen on the page so it is sharp."
    ),
    "image.cut_off": N_(
        "Part of the page is cut off in this photo. Take the photo again with the whole page inside the "
        "frame, all four corners showing."
    ),
    "image.too_dark": N_(
        "This photo is too dark to read well. Take the photo again in good light, with no shadow on the page."
    ),
    "image.too_dark:washed_out": N_(
        "This photo is too bright or faded to read well. Take the photo again out of direct light or glare."
    ),
    "image.too_small": N_(
        "This picture is too small to read. Take the photo again closer, so the page fills the frame, or "
        "scan it."
    ),
    "field.ambiguous": N_(
        "This form has two boxes with the same name ({field}), so we cannot tell which answer is the "
        "right one. Check both boxes show the same answer, or bring the form to the office."
    ),
    "field.ambiguous:mail": N_(
        "This form has two boxes with the same name ({field}), so we cannot tell which answer is the "
        "right one. Check both boxes show the same answer, or send a printed copy of the form with your "
        "papers."
    ),
    "field.choice": N_("Choose one of the allowed answers in “{field}”: {choices}."),
    "field.encoding": N_(
        "We could not read the letters in one box ({field}). Type the answer again in that box and save "
        "the form, or bring the form to the office."
    ),
    "field.encoding:mail": N_(
        "We could not read the letters in one box ({field}). Type the answer again in that box and save "
        "the form, or send a printed copy of the form with your papers."
    ),
    "field.encoding:hidden": N_(
        "The answer in “{field}” has hidden characters that can change how it looks. Type the answer "
        "again in that box and save the form, or bring the form to the office."
    ),
    "field.encoding:hidden_mail": N_(
        "The answer in “{field}” has hidden characters that can change how it looks. Type the answer "
        "again in that box and save the form, or send a printed copy of the form with your papers."
    ),
    "field.encoding:mixed_scripts": N_(
        "The answer in “{field}” mixes letters from two alphabets that look alike, such as a Latin “o” "
        "and a Cyrillic “о”. Type the answer again in that box and save the form, or bring the form to "
        "the office."
    ),
    "field.encoding:mixed_scripts_mail": N_(
        "The answer in “{field}” mixes letters from two alphabets that look alike, such as a Latin “o” "
        "and a Cyrillic “о”. Type the answer again in that box and save the form, or send a printed copy "
        "of the form with your papers."
    ),
    "field.format": N_("The answer in “{field}” is not in the form we expect. Check it and try again."),
    "field.format:date": N_("Write the date in “{field}” like this: {example}."),
    "field.format:ein": N_("“{field}” should be a 9-digit Employer Identification Number, like 12-3456789."),
    "field.format:email": N_("“{field}” does not look like an email address. Check it. It should look like name@example.com."),
    "field.format:money": N_("“{field}” should be an amount of money, like 1250.00."),
    "field.format:number": N_("“{field}” should be a number. Use digits only, like 3."),
    "field.format:pattern": N_("The answer in “{field}” is not in the form we expect. Check it against the form's instructions."),
    "field.format:phone": N_("“{field}” should be a 10-digit phone number, like (217) 555-0123."),
    "field.format:ssn": N_("“{field}” should be a 9-digit Social Security number, like 123-45-6789."),
    "field.format:ssn_issued": N_(
        "The number in “{field}” is not a Social Security number that is ever given out. Check each "
        "digit against your card."
    ),
    "field.format:state": N_("Write the state in “{field}” as its two-letter code, like IL or NY."),
    "field.format:zip": N_("“{field}” should be a 5-digit ZIP code, like 62704, or a ZIP+4, like 62704-1234."),
    "field.max_length": N_("“{field}” is too long ({length} characters; the most is {limit}). Shorten it."),
    "field.min_length": N_("“{field}” is too short ({length} characters; it needs at least {limit})."),
    "field.range": N_("The answer in “{field}” is outside what we can accept. Check it."),
    "field.range:earliest": N_("The date in “{field}” cannot be before {earliest}. Check the year."),
    "field.range:latest": N_("The date in “{field}” cannot be after {latest}. Check the year."),
    "field.range:max": N_("“{field}” must be at most {max}."),
    "field.range:min": N_("“{field}” must be at least {min}."),
    "field.range:too_big": N_("The number in “{field}” is far larger than this form expects. Check it and write it again."),
    "field.required": N_("Fill in the “{field}” box. It is required."),
    "field.required:because": N_("Fill in the “{field}” box. It is needed because {reason}."),
    "field.rule": N_("Check “{field}”: it does not agree with other answers on the form."),
    "field.rule:at_least_one_of": N_("Fill in at least one of these: “{field}” or {others}."),
    "field.rule:date_order": N_("The date in “{field}” is before the date in “{other}”. Check both dates."),
    "field.rule:equal": N_("“{field}” and “{other}” should be the same. Check both."),
    "field.rule:exactly_one_of_many": N_("Fill in only one of these: {others}. More than one has an answer."),
    "field.rule:exactly_one_of_none": N_("Fill in one of these: {others}."),
    "field.xfa_repaired": N_(
        "Some answers in this form were saved in a slightly damaged way. We read what we could: check "
        "your answers below, and bring the form to your visit if any look wrong."
    ),
    "field.xfa_repaired:mail": N_(
        "Some answers in this form were saved in a slightly damaged way. We read what we could: check "
        "your answers below, and send a printed copy of the form with your papers if any look wrong."
    ),
    "field.xfa_unreadable": N_(
        "Part of this form could not be read. Open it in Adobe Acrobat Reader, save it again and upload "
        "it, or bring a printed copy to the office."
    ),
    "field.xfa_unreadable:mail": N_(
        "Part of this form could not be read. Open it in Adobe Acrobat Reader, save it again and upload "
        "it, or send a printed copy with your papers."
    ),
    "file.damaged": N_(
        "This file is damaged and we could not open it. Download the form again, fill it in and upload "
        "the new copy, or bring a printed copy to the office."
    ),
    "file.damaged:mail": N_(
        "This file is damaged and we could not open it. Download the form again, fill it in and upload "
        "the new copy, or send a printed copy with your papers."
    ),
    "file.damaged:document": N_(
        "This file is damaged and we could not open it. Save or scan the document again and upload the "
        "new copy, or bring the original to your visit."
    ),
    "file.damaged:document_mail": N_(
        "This file is damaged and we could not open it. Save or scan the document again and upload the "
        "new copy, or send the original with your papers."
    ),
    "file.duplicate": N_(
        "You uploaded {item} more than once. We checked the newest copy, {used}. If this older copy is "
        "the right one, upload it again."
    ),
    "file.empty": N_("This file is empty. It may not have finished saving. Save it again and upload the new copy."),
    "file.encrypted": N_(
        "This file is locked with a password, so we cannot read it. Save a copy without the password "
        "(print it to a new PDF) and upload that copy, or bring a printed copy to the office."
    ),
    "file.encrypted:mail": N_(
        "This file is locked with a password, so we cannot read it. Save a copy without the password "
        "(print it to a new PDF) and upload that copy, or send a printed copy with your papers."
    ),
    "file.no_fields": N_(
        "This PDF has no boxes to fill in, so we can only read its printed text. If it is a form, "
        "download the fillable version and fill it in, or bring a printed copy to the office."
    ),
    "file.no_fields:mail": N_(
        "This PDF has no boxes to fill in, so we can only read its printed text. If it is a form, "
        "download the fillable version and fill it in, or send a printed copy with your papers."
    ),
    "file.not_pdf": N_(
        "This file is not a PDF, so we cannot read it. Upload the form as a PDF file, or bring a printed "
        "copy to the office."
    ),
    "file.not_pdf:mail": N_(
        "This file is not a PDF, so we cannot read it. Upload the form as a PDF file, or send a printed "
        "copy with your papers."
    ),
    "file.page_too_large": N_(
        "A page in this file is bigger than any paper we can take (the most is {limit} inches on a side). "
        "Print or save it again on letter or A4 pages and upload that copy, or bring it to the office."
    ),
    "file.page_too_large:mail": N_(
        "A page in this file is bigger than any paper we can take (the most is {limit} inches on a "
        "side). Print or save it again on letter or A4 pages and upload that copy, or send a printed "
        "copy with your papers."
    ),
    "file.repaired": N_(
        "This file was slightly damaged. We repaired it and read it, but some answers may be missing. "
        "Check the result, and if something looks wrong, save the form again and upload it."
    ),
    "file.scanned": N_(
        "This file is a scan or a photo, so we cannot read the answers in it. That is fine for a "
        "supporting document. For a form, fill in the fillable PDF instead, or bring the paper form to "
        "the office."
    ),
    "file.scanned:mail": N_(
        "This file is a scan or a photo, so we cannot read the answers in it. That is fine for a "
        "supporting document. For a form, fill in the fillable PDF instead, or send the paper form with "
        "your other papers."
    ),
    "file.too_complex": N_(
        "This file is too complex for us to check safely. Save it again as a simple PDF (print it to a "
        "new PDF) and upload that copy, or bring a printed copy to the office."
    ),
    "file.too_complex:mail": N_(
        "This file is too complex for us to check safely. Save it again as a simple PDF (print it to a "
        "new PDF) and upload that copy, or send a printed copy with your papers."
    ),
    "file.too_complex:actions": N_(
        "This file has more links, bookmarks and actions than we can check (the limit is {limit}). Save "
        "it again as a new PDF (print it to a new PDF) and upload that copy, or bring a printed copy to "
        "the office."
    ),
    "file.too_complex:actions_mail": N_(
        "This file has more links, bookmarks and actions than we can check (the limit is {limit}). Save "
        "it again as a new PDF (print it to a new PDF) and upload that copy, or send a printed copy with "
        "your papers."
    ),
    "file.too_complex:font": N_(
        "A font in this file is built in a way we cannot check safely. Save it again as a new PDF (print "
        "it to a new PDF) and upload that copy, or bring a printed copy to the office."
    ),
    "file.too_complex:font_mail": N_(
        "A font in this file is built in a way we cannot check safely. Save it again as a new PDF (print "
        "it to a new PDF) and upload that copy, or send a printed copy with your papers."
    ),
    "file.too_complex:drawing": N_(
        "The pages of this file are drawn in a way that would take us far too long to read: parts of "
        "a page are drawn again and again, inside each other. Save it again as a new PDF (print it to a "
        "new PDF) and upload that copy, or bring a printed copy to the office."
    ),
    "file.too_complex:drawing_mail": N_(
        "The pages of this file are drawn in a way that would take us far too long to read: parts of a "
        "page are drawn again and again, inside each other. Save it again as a new PDF (print it to a "
        "new PDF) and upload that copy, or send a printed copy with your papers."
    ),
    "file.too_complex:fields": N_(
        "This form has more boxes to fill in than we can check (the limit is {limit}). Check that you "
        "uploaded the right form, or bring a printed copy to the office."
    ),
    "file.too_complex:fields_mail": N_(
        "This form has more boxes to fill in than we can check (the limit is {limit}). Check that you "
        "uploaded the right form, or send a printed copy with your papers."
    ),
    "file.too_complex:image": N_(
        "A picture in this file is too big for us to check ({megapixels} million pixels; the limit is "
        "{limit} million). Scan it again at a lower resolution and upload the new copy, or bring it to "
        "the office."
    ),
    "file.too_complex:image_mail": N_(
        "A picture in this file is too big for us to check ({megapixels} million pixels; the limit is "
        "{limit} million). Scan it again at a lower resolution and upload the new copy, or send a "
        "printed copy with your papers."
    ),
    "file.too_complex:memory": N_(
        "This file needs more memory to read than we can give it. Save it again as a new PDF (print it "
        "to a new PDF) and upload that copy, or bring a printed copy to the office."
    ),
    "file.too_complex:memory_mail": N_(
        "This file needs more memory to read than we can give it. Save it again as a new PDF (print it "
        "to a new PDF) and upload that copy, or send a printed copy with your papers."
    ),
    "file.too_complex:objects": N_(
        "This file is made of more parts than we can check (the limit is {limit}). Save it again as a new "
        "PDF (print it to a new PDF) and upload that copy, or bring a printed copy to the office."
    ),
    "file.too_complex:objects_mail": N_(
        "This file is made of more parts than we can check (the limit is {limit}). Save it again as a "
        "new PDF (print it to a new PDF) and upload that copy, or send a printed copy with your papers."
    ),
    "file.too_complex:options": N_(
        "The lists to choose from in this form have more choices than we can check (the limit is "
        "{limit}). Check that you uploaded the right form, or bring a printed copy to the office."
    ),
    "file.too_complex:options_mail": N_(
        "The lists to choose from in this form have more choices than we can check (the limit is "
        "{limit}). Check that you uploaded the right form, or send a printed copy with your papers."
    ),
    "file.too_complex:stream": N_(
        "Part of this file becomes too big when we unpack it (more than {limit_mb} MB). Save it again as "
        "a new PDF (print it to a new PDF) and upload that copy, or bring a printed copy to the office."
    ),
    "file.too_complex:stream_mail": N_(
        "Part of this file becomes too big when we unpack it (more than {limit_mb} MB). Save it again as "
        "a new PDF (print it to a new PDF) and upload that copy, or send a printed copy with your "
        "papers."
    ),
    "file.too_complex:time": N_(
        "This file took too long to read (more than {seconds} seconds). Save it again as a new PDF (print "
        "it to a new PDF) and upload that copy, or bring a printed copy to the office."
    ),
    "file.too_complex:time_mail": N_(
        "This file took too long to read (more than {seconds} seconds). Save it again as a new PDF "
        "(print it to a new PDF) and upload that copy, or send a printed copy with your papers."
    ),
    "file.too_large": N_(
        "This file is too big to upload ({size_mb} MB; the limit is {limit_mb} MB). Upload a smaller "
        "copy, for example a scan at a lower resolution, or bring it to the office."
    ),
    "file.too_large:mail": N_(
        "This file is too big to upload ({size_mb} MB; the limit is {limit_mb} MB). Upload a smaller "
        "copy, for example a scan at a lower resolution, or send a printed copy with your papers."
    ),
    "file.too_many_pages": N_(
        "This file has too many pages ({pages}; the limit is {limit}). Upload only the pages we ask for, "
        "or bring the full document to the office."
    ),
    "file.too_many_pages:mail": N_(
        "This file has too many pages ({pages}; the limit is {limit}). Upload only the pages we ask for, "
        "or send the full document on paper with your papers."
    ),
    "file.too_many_pages:over": N_(
        "This file has more than {limit} pages, the most we can check. Upload only the pages we ask for, "
        "or bring the full document to the office."
    ),
    "file.too_many_pages:over_mail": N_(
        "This file has more than {limit} pages, the most we can check. Upload only the pages we ask for, "
        "or send the full document on paper with your papers."
    ),
    "file.same_file": N_("You sent this file twice. We used it once, so there is nothing more to do."),
    "file.unrecognised": N_(
        "We could not tell which checklist item this file is. Upload it again under the item it belongs "
        "to."
    ),
    "file.unrecognised:picture": N_(
        "We read this scan or photo, but it does not look like anything on the checklist. Upload it again "
        "under the item it belongs to."
    ),
    "file.unrecognised:unreadable": N_(
        "We could not read this photo or scan, so we could not tell which checklist item it is. Upload it "
        "again under the item it belongs to."
    ),
    "file.unsafe": N_(
        "This file contains active content, such as scripts or links to other programs. We did not run "
        "it, and a clerk will look at it. You do not need to do anything."
    ),
    "file.unsafe:launch": N_(
        "This file contains a part that could start a program on a computer, so we cannot accept it. "
        "Print it to a new PDF and upload that copy, or bring a printed copy to the office."
    ),
    "file.unsafe:launch_mail": N_(
        "This file contains a part that could start a program on a computer, so we cannot accept it. "
        "Print it to a new PDF and upload that copy, or send a printed copy with your papers."
    ),
    "file.wrong_type": N_(
        "This file is a {kind} picture, but we need a PDF here. Upload the form as a PDF file, or bring a"
        " printed copy to the office."
    ),
    "file.wrong_type:mail": N_(
        "This file is a {kind} picture, but we need a PDF here. Upload the form as a PDF file, or send a "
        "printed copy with your papers."
    ),
    "file.xfa_only": N_(
        "This form only works in Adobe Acrobat Reader. Open it there to fill it in and save it, then "
        "upload it again, or bring a printed copy to the office."
    ),
    "file.xfa_only:mail": N_(
        "This form only works in Adobe Acrobat Reader. Open it there to fill it in and save it, then "
        "upload it again, or send a printed copy with your papers."
    ),
    "form.missing": N_("Add {item}. It is part of this application."),
    "form.outdated": N_(
        "This is an older edition of {wanted} ({given}). Fill in the current one ({current}) and upload it "
        "in place of this file."
    ),
    "form.outdated:fingerprint": N_(
        "This is another edition of {wanted}, not the current one ({current}). Fill in the current one "
        "and upload it in place of this file."
    ),
    "form.scanned": N_(
        "This is a scan or photo of {wanted}. We can't check the answers on a scan: bring the form to your "
        "visit, or fill in the fillable version ({url}) and upload that instead."
    ),
    "form.scanned:mail": N_(
        "This is a scan or photo of {wanted}. We can't check the answers on a scan: send the paper form "
        "with your other papers, or fill in the fillable version ({url}) and upload that instead."
    ),
    "form.scanned:no_url": N_(
        "This is a scan or photo of {wanted}. We can't check the answers on a scan: bring the form to your "
        "visit, or fill in the fillable version on a computer and upload that instead."
    ),
    "form.scanned:no_url_mail": N_(
        "This is a scan or photo of {wanted}. We can't check the answers on a scan: send the paper form "
        "with your other papers, or fill in the fillable version on a computer and upload that instead."
    ),
    "form.scanned:unread": N_(
        "This is a scan or photo, and we could not read which form it is. We can't check the answers on a "
        "scan: bring {wanted} to your visit, or fill in the fillable version and upload that instead."
    ),
    "form.scanned:unread_mail": N_(
        "This is a scan or photo, and we could not read which form it is. We can't check the answers on a "
        "scan: send {wanted} on paper with your other papers, or fill in the fillable version and upload "
        "that instead."
    ),
    "form.unsigned": N_("Sign the form in the “{field}” box."),
    "form.unsigned:because": N_("Sign the form in the “{field}” box. It is needed because {reason}."),
    "form.wrong": N_(
        "This is {given}, not {wanted}. Fill in {wanted} and upload it in place of this file."
    ),
    "form.wrong:no_forms": N_(
        "This is {given}. This service needs no form, only the documents on its checklist."
    ),
    "form.wrong:not_here": N_(
        "This is {given}, which this service does not use. It needs {wanted}: fill that in and upload it."
    ),
    "form.wrong:unknown": N_(
        "This file is not {wanted}. Check that you chose the right file, then fill in {wanted} and upload it."
    ),
    "points.short": N_("You have {have} of the {need} points needed. Add more documents from the list."),
    "reason.empty": N_("you left “{field}” empty"),
    "reason.filled": N_("you filled in “{field}”"),
    "reason.is": N_("you answered “{answer}” to “{field}”"),
    "reason.is_not": N_("you did not answer “{answer}” to “{field}”"),
    "status.complete": N_("Ready for your visit"),
    "status.complete:mail": N_("Ready to send"),
    "status.incomplete": N_("Some things are missing"),
    "status.invalid": N_("Something needs fixing"),
    "where.page": N_("Page {page}"),
}

class _Blank(dict[str, Any]):
    """Leaves an unknown placeholder visible instead of crashing on a missing parameter."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


@cache
def _translations(lang: str) -> gettext.NullTranslations:
    return gettext.translation(DOMAIN, localedir=_LOCALE_DIR, languages=[lang], fallback=True)


def text(code: str, lang: str = "en") -> str:
    """The template for ``code`` in ``lang``; English when the language is unknown."""
    try:
        msgid = TEXTS[code]
    except KeyError:
        raise KeyError(f"no message for problem code {code!r}") from None
    if lang == "en":
        return msgid
    return _translations(lang).gettext(msgid)


def render(code: str, lang: str = "en", **params: Any) -> str:
    """The message for ``code`` (or its ``variant``) with its placeholders filled in."""
    variant = params.pop("variant", None)
    key = f"{code}:{variant}" if variant and f"{code}:{variant}" in TEXTS else code
    template = text(key, lang)
    return string.Formatter().vformat(template, (), _Blank(_fitted(template, _display(params))))


def mail_variant(code: str, variant: str | None = None) -> str | None:
    """The variant that words ``code`` for a service sent by mail (``visit.mode: mail``): "send
    it with your papers", never "bring it to your visit" or "to the office". It is ``mail`` for
    the plain wording and ``<variant>_mail`` for a variant (a variant with no text of its own is
    the plain wording); ``variant`` itself when the text has no mail wording, as it speaks of no
    visit. Asking again gives the same answer."""
    worded = variant if variant and f"{code}:{variant}" in TEXTS else None
    mailed = f"{worded}_mail" if worded else "mail"
    return mailed if f"{code}:{mailed}" in TEXTS else variant


def _display(params: Mapping[str, Any]) -> dict[str, Any]:
    return {k: ("" if v is None else v) for k, v in params.items()}


_FRAGMENTS = ("item", "reason")
"""Placeholders that take a title or a reason, written to stand alone with a capital letter."""
_MID_SENTENCE = re.compile(r"[^\W_]\s$|,\s$")


def _fitted(template: str, params: dict[str, Any]) -> dict[str, Any]:
    """A title or reason fitted into the middle of a sentence starts in lower case ("Add proof of
    address", "bring the original of your birth certificate"), unless it is a name ("Form DS-11").
    At the start of a sentence, after a colon or inside quotes it is left as written."""
    out = dict(params)
    for literal, name, _spec, _conversion in string.Formatter().parse(template):
        value = out.get(name or "")
        if name in _FRAGMENTS and isinstance(value, str) and _MID_SENTENCE.search(literal):
            out[name] = in_sentence(value)
    return out


def placeholders(template: str) -> set[str]:
    """The ``{names}`` a template uses, so tests can compare English and Spanish."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}
