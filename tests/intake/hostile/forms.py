"""Forms whose fields multiply work or carry values no form expects: one huge choice list
shared by many fields, a page of 100,000 annotations, an amount with thousands of digits."""

from __future__ import annotations

from pathlib import Path

from pypdf.generic import ArrayObject, NameObject, NumberObject, TextStringObject

from tests.intake.hostile.family import Family
from tests.intake.test_active_content import _Pdf, _rect
from tests.pdfs import FormBuilder, _dict

SCHEMAS = Path(__file__).resolve().parents[3] / "schemas"


def shared_huge_options(fields: int = 40, choices: int = 100_000) -> bytes:
    """``fields`` list boxes sharing one /Opt array of ``choices`` entries (one object, so the
    file stays small while a reader that builds each field's list builds it ``fields`` times)."""
    pdf = _Pdf()
    options = pdf.add(ArrayObject(TextStringObject(f"c{i}") for i in range(choices)))
    widgets = []
    for i in range(fields):
        widgets.append(pdf.annotate({"/Subtype": NameObject("/Widget"), "/FT": NameObject("/Ch"),
                                     "/T": TextStringObject(f"list{i}"), "/Opt": options,
                                     "/Ff": NumberObject(1 << 17)}))
    pdf.catalog("/AcroForm", _dict({"/Fields": ArrayObject(widgets)}))
    return pdf.bytes()


def many_annotations(count: int = 100_000) -> bytes:
    """A page whose /Annots lists one link annotation ``count`` times."""
    pdf = _Pdf()
    link = pdf.add(_dict({"/Type": NameObject("/Annot"), "/Subtype": NameObject("/Link"), "/Rect": _rect()}))
    pdf.page[NameObject("/Annots")] = ArrayObject([link] * count)
    return pdf.bytes()


def _child_care_application(pay: str) -> bytes:
    """A form with every box name of the child care application (so it is taken for that
    form) and ``pay`` as the applicant's pay."""
    import intake

    spec = next(f for f in intake.load_service(SCHEMAS / "il-child-care.yaml").forms if f.id == "ccap")
    builder = FormBuilder()
    for name in spec.fingerprint:
        builder.add_text(name, pay if name == "APPLICANT_EMPLOYER_PAY_AMOUNT_1" else None, rect=(0, 0, 10, 10))
    return builder.build()


def huge_amount() -> bytes:
    """The pay as a 5,000-digit number."""
    return _child_care_application("9" * 5000 + ".99")


def huge_exponent() -> bytes:
    """The pay written as 1e999999999."""
    return _child_care_application("1e999999999")


FAMILIES = [
    Family("shared_huge_opt.pdf", shared_huge_options, "file.too_complex", "options",
           why="40 fields sharing one 100,000-entry /Opt: four million choices"),
    Family("annotations_100k.pdf", many_annotations, "file.too_complex",
           why="100,000 annotations on one page"),
    Family("money_huge_digits.pdf", huge_amount, "field.range", "too_big", service="il-child-care", item="ccap",
           why="a 5,000-digit amount of pay"),
    Family("money_huge_exponent.pdf", huge_exponent, "field.range", "too_big", service="il-child-care", item="ccap",
           why="an amount of pay of 1e999999999"),
]
