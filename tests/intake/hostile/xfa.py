"""XFA packets that multiply work: deep nesting, hundreds of thousands of elements, template
fields nested inside each other, a million answers merged into a static form, and more
answers than the field limit. Built with the XFA tests' own builders."""

from __future__ import annotations

from tests.intake.hostile.family import Family
from tests.intake.test_xfa import _datasets, _dynamic_form, _static_form, _with_datasets
from tests.pdfs import FormBuilder, xfa_datasets

_TEMPLATE_OPEN = '<template xmlns="http://www.xfa.org/schema/xfa-template/3.3/">'


def _with_template(template: str) -> bytes:
    return (FormBuilder().with_xfa(xfa_datasets({"lastName": "Doe"}, root="form1"), template_xml=template,
                                   needs_rendering=True).build())


def deep_nesting() -> bytes:
    """100,000 nested elements in the datasets, a kilobyte or two once compressed."""
    deep = b"<a>" * 100_000 + b"</a>" * 100_000
    return _with_datasets(_dynamic_form(), _datasets(b"<form1>" + deep + b"</form1>"))


def many_nodes() -> bytes:
    """A template of 300,000 elements."""
    return _with_template(_TEMPLATE_OPEN + '<subform name="form1">' + "<draw/>" * 300_000 + "</subform></template>")


def nested_template_fields(depth: int = 20_000) -> bytes:
    """Template fields nested 20,000 deep, each with its own caption."""
    opening = "".join(f'<field name="f{i}"><caption><value><text>Label {i}</text></value></caption>'
                      for i in range(depth))
    return _with_template(_TEMPLATE_OPEN + '<subform name="form1">' + opening + "</field>" * depth
                          + "</subform></template>")


def static_merge() -> bytes:
    """A million answers for one field of a static form: a merge that tries each is quadratic."""
    answers = b"<topmostSubform><Page1>" + b"<city>1</city>" * 1_000_000 + b"</Page1></topmostSubform>"
    return _with_datasets(_static_form(), _datasets(answers))


def too_many_fields(count: int = 3001) -> bytes:
    """A dynamic form with one answer more than the default field limit."""
    answers = b"<form1>" + b"".join(b"<a%d>x</a%d>" % (i, i) for i in range(count)) + b"</form1>"
    return _with_datasets(_dynamic_form(), _datasets(answers))


FAMILIES = [
    Family("xfa_deep_nesting.pdf", deep_nesting, "file.too_complex", why="100,000 nested XFA elements"),
    Family("xfa_many_nodes.pdf", many_nodes, "file.too_complex", why="300,000 elements in the template"),
    Family("xfa_nested_template_fields.pdf", nested_template_fields, "file.too_complex",
           why="template fields nested 20,000 deep"),
    Family("xfa_static_merge.pdf", static_merge, "file.too_complex", "fields",
           why="a million answers merged into a static form"),
    Family("xfa_too_many_fields.pdf", too_many_fields, "file.too_complex", "fields",
           why="3,001 XFA fields, one past the limit"),
]
