"""The ``intake`` command: read a form's fields and draft a service file from it.

Exit codes: 0 done, 1 the file could not be read (the message says why and what to do),
2 a usage mistake. Heavy imports wait until a command needs them, so ``intake fields``
starts about as fast as a bare pypdf script.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any, TextIO

EXIT_OK, EXIT_FILE, EXIT_USAGE = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return EXIT_USAGE
    from intake.errors import FileProblemError, SourceError

    try:
        result: int = args.run(args, sys.stdout)
        return result
    except FileProblemError as exc:
        from intake.pdf import problem_from_error

        print(f"{args.file}: {problem_from_error(exc).message(args.lang)}", file=sys.stderr)
        return EXIT_FILE
    except SourceError as exc:
        print(f"intake: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        # The reader of our output (``| head``) went away: not an error worth a traceback.
        sys.stderr.close()
        return EXIT_OK


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="intake", description="Check paperwork for public services.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    fields = sub.add_parser("fields", help="list every field of a PDF form")
    fields.add_argument("file", help="a PDF form")
    fields.add_argument("--json", action="store_true", help="print JSON instead of a table")
    fields.add_argument("--lang", default="en", choices=("en", "es"), help="language of messages")
    fields.set_defaults(run=_fields)

    draft = sub.add_parser("scaffold", help="draft a service file from a blank fillable form")
    draft.add_argument("file", help="a blank fillable PDF form")
    draft.add_argument("-o", "--output", help="write the draft here instead of printing it")
    draft.add_argument("--id", dest="service_id", help="service id (default: from the file name)")
    draft.add_argument("--lang", default="en", choices=("en", "es"), help="language of messages")
    draft.set_defaults(run=_scaffold)
    return parser


def _fields(args: argparse.Namespace, out: TextIO) -> int:
    from intake.pdf import read_form

    form = read_form(args.file)
    if args.json:
        json.dump([f.to_dict() for f in form.fields], out, ensure_ascii=False, indent=2)
        out.write("\n")
        return EXIT_OK
    rows = [(str(f.page or "-"), f.kind.value, f.name, _show(f.value), f.label or "") for f in form.fields]
    _table(("PAGE", "KIND", "NAME", "VALUE", "LABEL"), rows, out)
    kinds: dict[str, int] = {}
    for f in form.fields:
        kinds[f.kind.value] = kinds.get(f.kind.value, 0) + 1
    summary = ", ".join(f"{kind} {n}" for kind, n in sorted(kinds.items()))
    out.write(f"\n{len(form.fields)} fields on {form.page_count} pages ({summary or 'none'}); "
              f"XFA: {form.xfa}; encrypted: {'yes' if form.encrypted else 'no'}\n")
    for problem in form.problems:
        out.write(f"! {problem.code}: {problem.message(args.lang)}\n")
    return EXIT_OK


def _scaffold(args: argparse.Namespace, out: TextIO) -> int:
    from intake.scaffold import scaffold

    draft = scaffold(args.file, service_id=args.service_id)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as handle:
            handle.write(draft)
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        out.write(draft)
    return EXIT_OK


def _show(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple):
        return ", ".join(value)
    return " ".join(str(value).split())


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], out: TextIO) -> None:
    limits = (4, 9, 60, 30, 60)
    def cut(cell: str, width: int) -> str:
        return cell if len(cell) <= width else cell[: width - 1] + "…"
    cells = [tuple(cut(c, w) for c, w in zip(row, limits, strict=True)) for row in [tuple(header), *rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    for row in cells:
        out.write("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() + "\n")


if __name__ == "__main__":
    sys.exit(main())
