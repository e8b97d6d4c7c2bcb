"""Actions where a reader would run them: a Launch in a widget's triggers, in the outline,
after more /Next steps than a careless walk follows, and a GoToR to a network share."""

from __future__ import annotations

from pypdf.generic import ArrayObject, FloatObject, NameObject, TextStringObject

from tests.intake.hostile.family import Family
from tests.intake.test_active_content import _dict, _launch, _Pdf


def widget_trigger() -> bytes:
    """A text field whose widget starts a program when the mouse button is released."""
    pdf = _Pdf()
    widget = pdf.annotate({"/Subtype": NameObject("/Widget"), "/FT": NameObject("/Tx"),
                           "/T": TextStringObject("name"), "/AA": _dict({"/U": _launch()})})
    pdf.catalog("/AcroForm", _dict({"/Fields": ArrayObject([widget])}))
    return pdf.bytes()


def outline() -> bytes:
    """A bookmark that starts a program."""
    pdf = _Pdf()
    outlines = pdf.add(_dict({"/Type": NameObject("/Outlines")}))
    item = pdf.add(_dict({"/Title": TextStringObject("Open"), "/Parent": outlines, "/A": _launch()}))
    outlines.get_object()[NameObject("/First")] = item
    pdf.catalog("/Outlines", outlines)
    return pdf.bytes()


def after_next_steps(steps: int = 40) -> bytes:
    """A link whose action runs ``steps`` harmless actions, then a Launch."""
    pdf = _Pdf()
    pdf.link(pdf.chain(steps, _launch()))
    return pdf.bytes()


def remote_share() -> bytes:
    """A page with a link that opens a PDF on a UNC path (\\\\server\\share)."""
    pdf = _Pdf()
    pdf.link(_dict({"/S": NameObject("/GoToR"), "/D": ArrayObject([FloatObject(0), NameObject("/Fit")]),
                    "/F": _dict({"/Type": NameObject("/Filespec"),
                                 "/F": TextStringObject("\\\\server\\share\\x.pdf")})}))
    return pdf.bytes()


FAMILIES = [
    Family("launch_widget_aa.pdf", widget_trigger, "file.unsafe", "launch", why="a Launch in a widget's /AA"),
    Family("launch_outline.pdf", outline, "file.unsafe", "launch", why="a Launch in a bookmark"),
    Family("launch_after_next_chain.pdf", after_next_steps, "file.unsafe", "launch",
           why="a Launch after 40 /Next steps"),
    Family("gotor_unc_share.pdf", remote_share, "file.unsafe", blocks=False,
           why="a GoToR to \\\\server\\share: flagged remote_file for the clerk, not refused"),
]
