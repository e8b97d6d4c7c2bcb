"""The API's documentation page: the OpenAPI document rendered on the server as plain HTML,
so it works under the app's content security policy (no scripts from elsewhere)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, render_template

from web.api import PREFIX

pages = Blueprint("api_docs_page", __name__, url_prefix=PREFIX, template_folder="../templates/api")
METHODS = ("get", "post", "put", "patch", "delete")


def _schema_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def type_of(prop: dict[str, Any]) -> dict[str, Any]:
    """A property's type in a few words, and the schema it refers to, if any."""
    if "$ref" in prop:
        return {"text": "", "ref": _schema_name(prop["$ref"])}
    for combined in ("anyOf", "allOf", "oneOf"):
        if combined in prop:
            parts = [type_of(p) for p in prop[combined]]
            ref = next((p["ref"] for p in parts if p["ref"]), None)
            return {"text": " | ".join(p["text"] for p in parts if p["text"]), "ref": ref}
    kind = prop.get("type", "any")
    kind = " | ".join(kind) if isinstance(kind, list) else kind
    if "items" in prop:
        inner = type_of(prop["items"])
        return {"text": f"{kind} of {inner['text'] or ''}".strip(), "ref": inner["ref"]}
    extras = [prop["format"]] if "format" in prop else []
    if "enum" in prop:
        extras.append(", ".join(str(e) for e in prop["enum"]))
    return {"text": f"{kind} ({'; '.join(extras)})" if extras else kind, "ref": None}


def _content(content: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"type": media, **type_of(body.get("schema", {}))} for media, body in content.items()]


def _resolve(spec: dict[str, Any], item: dict[str, Any], section: str) -> dict[str, Any]:
    if "$ref" in item:
        return dict(spec["components"][section][_schema_name(item["$ref"])])
    return item


def operations(spec: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for path, methods in spec.get("paths", {}).items():
        for method in METHODS:
            op = methods.get(method)
            if op is None:
                continue
            params = [_resolve(spec, p, "parameters") for p in methods.get("parameters", []) + op.get("parameters", [])]
            responses = []
            for status, answer in op.get("responses", {}).items():
                answer = _resolve(spec, answer, "responses")
                responses.append({"status": status, "description": answer.get("description", ""),
                                  "content": _content(answer.get("content", {}))})
            security = [name for entry in op.get("security", []) for name in entry]
            found.append({"id": f"{method}-{path}".replace("/", "-").replace("{", "").replace("}", ""),
                          "method": method.upper(), "path": path, "summary": op.get("summary", ""),
                          "description": op.get("description", ""), "tags": op.get("tags", []),
                          "security": security,
                          "parameters": [{"name": p["name"], "in": p["in"], "required": p.get("required", False),
                                          "description": p.get("description", ""), **type_of(p.get("schema", {}))}
                                         for p in params],
                          "body": _content(op.get("requestBody", {}).get("content", {})),
                          "responses": responses})
    return found


def schemas(spec: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for name, schema in sorted(spec.get("components", {}).get("schemas", {}).items()):
        required = set(schema.get("required", []))
        out.append({"name": name, "description": schema.get("description", ""),
                    "properties": [{"name": prop_name, "required": prop_name in required,
                                    "description": prop.get("description", ""), **type_of(prop)}
                                   for prop_name, prop in schema.get("properties", {}).items()]})
    return out


@pages.get("/docs")
def docs() -> str:
    spec = current_app.extensions["intake.api"].spec.to_dict()
    return render_template("api/docs.html", spec=spec, operations=operations(spec), schemas=schemas(spec),
                           security=spec.get("components", {}).get("securitySchemes", {}))
