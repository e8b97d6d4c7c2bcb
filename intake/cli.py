"""The ``intake`` command: check a packet, read a form's fields, write and test service files.

Exit codes: ``check`` gives 0 complete, 1 incomplete or invalid; ``fields`` and ``scaffold``
give 1 when the file cannot be read; ``lint`` and ``test-service`` give 1 when a sample
fails; 2 is always a usage or service-file mistake. ``lint`` warnings (``warn`` lines, each
ending in its code) point out what is allowed but probably not meant, and leave the exit 0.

``check`` reads files a citizen sent, so by default it parses them as the web service does:
in a sandboxed worker process (:mod:`intake.sandbox`) with caps on CPU time, wall time and
memory, closed before the command returns. A file that trips a cap is ``file.too_complex``,
never a crash. ``--no-sandbox`` parses in this process, for trusted batch use; the report is
the same either way. ``fields`` is the quick look a service author takes at a form, and
``scaffold`` drafts a service from one: they parse in this process (every in-process limit
of an upload still holds, the words printed beside radio buttons included) unless
``--sandbox`` is given.
Heavy imports wait until a command needs them, so ``intake fields`` starts about as fast as
a bare pypdf script.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO, cast

EXIT_OK, EXIT_FILE, EXIT_USAGE = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return EXIT_USAGE
    from intake.errors import FileProblemError, IntakeError, SourceError

    try:
        result: int = args.run(args, cast(TextIO, _Printable(sys.stdout)))
        return result
    except FileProblemError as exc:
        from intake.pdf import problem_from_error

        what = getattr(args, "file", None) or getattr(args, "service", "intake")
        print(f"{what}: {problem_from_error(exc).message(args.lang)}", file=sys.stderr)
        return EXIT_FILE
    except SourceError as exc:
        print(f"intake: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except IntakeError as exc:
        for line in getattr(exc, "problems", None) or [str(exc)]:
            print(f"intake: {line}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        # The reader of our output (``| head``) went away: not an error worth a traceback.
        sys.stderr.close()
        return EXIT_OK


# Terminal controls (ESC sequences and the like) that a form's field names or values may carry:
# printed raw they could retitle the terminal, hide lines or fake output.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|\r(?!\n)")


class _Printable:
    """Standard output that shows each control character as a visible escape (``\\x1b``)."""

    def __init__(self, out: TextIO) -> None:
        self._out = out

    def write(self, text: str) -> int:
        return self._out.write(_CONTROLS.sub(lambda m: f"\\x{ord(m.group()):02x}", text))

    def flush(self) -> None:
        self._out.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._out, name)


_SANDBOXED = ("{what} parsed in a sandboxed worker process with caps on CPU time, wall time and memory, "
              "as the web service parses uploads; a file that trips a cap is refused as too complex "
              "(file.too_complex).")
_NO_SANDBOX = "trusted batch use: parse in this process (same output, no worker process)"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="intake", description="Check paperwork for public services.")
    parser.add_argument("--version", action=_Version, nargs=0, help="show the installed version and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    fields = sub.add_parser("fields", help="list every field of a PDF form", description=(
        "List every field of a PDF form, parsed in this process (every in-process limit holds). "
        "With --sandbox: " + _SANDBOXED.format(what="the file is")))
    fields.add_argument("file", help="a PDF form")
    fields.add_argument("--json", action="store_true", help="print JSON instead of a table")
    fields.add_argument("--lang", default="en", choices=("en", "es"), help="language of messages")
    fields.add_argument("--sandbox", action="store_true",
                        help="parse in a sandboxed worker process, as check does by default")
    fields.set_defaults(run=_fields)

    draft = sub.add_parser("scaffold", help="draft a service file from a blank fillable form", description=(
        "Draft a service file from a blank fillable form, read in this process under the limits the web "
        "service puts on uploads (pages, size, fields, drawing work). With --sandbox: "
        + _SANDBOXED.format(what="the form is")))
    draft.add_argument("file", help="a blank fillable PDF form")
    draft.add_argument("-o", "--output", help="write the draft here instead of printing it")
    draft.add_argument("--id", dest="service_id", help="service id (default: from the file name)")
    draft.add_argument("--lang", default="en", choices=("en", "es"), help="language of messages")
    draft.add_argument("--sandbox", action="store_true",
                       help="read the form in a sandboxed worker process, as the studio does")
    draft.set_defaults(run=_scaffold)

    checking = sub.add_parser("check", help="check a packet of files against a service", description=(
        "Check a packet of files against a service. Exit code 0: complete; 1: incomplete or invalid; "
        "2: a usage or service-file mistake. " + _SANDBOXED.format(what="Each file is")))
    checking.add_argument("--service", required=True, help="a service file, or a service id in --schemas")
    checking.add_argument("--schemas", help="folder of service files (default: INTAKE_SCHEMAS or ./schemas)")
    checking.add_argument("files", nargs="+", metavar="FILE", help="files to check; ITEM=FILE labels a file")
    checking.add_argument("--json", action="store_true", help="print the report as JSON")
    checking.add_argument("--lang", default="en", choices=("en", "es"), help="language of the report")
    checking.add_argument("--today", type=_date, help="check as on this date (YYYY-MM-DD)")
    checking.add_argument("--no-sandbox", action="store_true", help=_NO_SANDBOX)
    checking.add_argument("--cache", type=Path, metavar="DIR",
                          help="where words read off photos and scans are kept, so a re-check does not read "
                               "them again (default: a user cache folder, ~/.cache/intake/ocr)")
    checking.add_argument("--no-cache", action="store_true", help="keep nothing read off photos and scans")
    checking.set_defaults(run=_check)

    lint = sub.add_parser("lint", help="validate service files")
    lint.add_argument("paths", nargs="*", default=["schemas"], metavar="PATH", help="files or folders")
    lint.set_defaults(run=_lint, lang="en")

    rules = sub.add_parser("rules", help="print the catalogue of problem codes and their messages")
    rules.add_argument("--format", choices=("markdown", "csv"), default="markdown")
    rules.set_defaults(run=_rules, lang="en")

    samples = sub.add_parser("test-service", help="check a service file's sample packets")
    samples.add_argument("service", help="a service file")
    samples.add_argument("--corpus", help="the shared corpus folder (default: ../shared/corpus)")
    samples.add_argument("--allow-missing", action="store_true",
                         help="exit 0 even when a sample is skipped because its file is not on this machine")
    samples.set_defaults(run=_test_service, lang="en")
    return parser


class _Version(argparse.Action):
    """``--version``, looked up only when asked: reading the installed distributions' metadata
    costs every other command's cold start tens of milliseconds."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: Any, option_string: str | None = None) -> None:
        sys.stdout.write(f"intake {_version()}\n")
        parser.exit()


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("intake")
    except PackageNotFoundError:
        return "unknown (not installed)"


def _sandbox(args: argparse.Namespace) -> contextlib.AbstractContextManager[Any]:
    """A sandbox worker for this command, closed when the block ends; None with ``--no-sandbox``."""
    if getattr(args, "no_sandbox", False) or not getattr(args, "sandbox", True):
        return contextlib.nullcontext()
    from intake.sandbox import Sandbox

    return Sandbox()


def _fields(args: argparse.Namespace, out: TextIO) -> int:
    from intake.files import Upload
    from intake.pdf import read_form

    upload = Upload.from_source(args.file)
    with _sandbox(args) as sandbox:
        form = sandbox.read(upload) if sandbox is not None else read_form(upload)
    if args.json:
        # The form's own problems (XFA it cannot read, pages that are scans) travel with its fields:
        # a list of fields alone would look like a clean form.
        json.dump({"fields": [f.to_dict() for f in form.fields], "pages": form.page_count, "xfa": form.xfa,
                   "problems": [p.to_dict(args.lang) for p in form.problems]},
                  out, ensure_ascii=False, indent=2)
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
    from intake.drafts import scaffold
    from intake.files import Limits, Upload

    upload = Upload.from_source(args.file)
    with _sandbox(args) as sandbox:
        draft = (sandbox.scaffold(upload, service_id=args.service_id) if sandbox is not None
                 else scaffold(upload, service_id=args.service_id, limits=Limits()))
    if args.output:
        with open(args.output, "w", encoding="utf-8") as handle:
            handle.write(draft)
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        out.write(draft)
    return EXIT_OK


def _date(text: str) -> Any:
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-11-22") from None


def _neighbours(service: Any, schemas: str | None) -> list[Any]:
    """The other services beside this one, whose forms name a wrong form; none if any is broken."""
    from intake.services import ServiceError, iter_services

    folder = schemas or (service.path.parent if service.path else None)
    try:
        return list(iter_services(folder))
    except (ServiceError, OSError):
        return []


def _check(args: argparse.Namespace, out: TextIO) -> int:
    from intake.checks import Checker, catalogue_forms
    from intake.messages import render
    from intake.services import load_service

    with _sandbox(args) as sandbox:  # started first: the worker starts up while the services load
        service = load_service(args.service, schemas=args.schemas)
        files: list[Any] = []
        for entry in args.files:
            item, sep, path = entry.partition("=")
            files.append((item, path) if sep and item in service.items else entry)
        from intake import ocr

        cache = None if args.no_cache else ocr.FolderCache(args.cache or ocr.default_cache_folder())
        checker = Checker(isolate=sandbox is not None, sandbox=sandbox, ocr_cache=cache,
                          catalogue=catalogue_forms(_neighbours(service, args.schemas)))
        report = checker.check(service, files, today=args.today)
    lang = args.lang
    if args.json:
        json.dump(report.to_dict(lang), out, ensure_ascii=False, indent=2)
        out.write("\n")
    else:
        out.write(f"{service.title.get(lang)} ({service.id} {service.version}): "
                  f"{render('status.' + report.status, lang, variant='mail' if service.visit.by_mail else None)}\n")
        marks = {"blocks": "✗", "warning": "!", "bring_original": "•"}
        for title, problems in [(f.title, f.problems) for f in report.forms] + [
                (d.title, d.problems) for d in report.documents]:
            for problem in problems:
                where = f" ({problem.file})" if problem.file else ""
                out.write(f"  {marks[problem.severity.value]} {title.get(lang)}{where}: {problem.message(lang)}\n")
        for missing in (m for m in report.missing if m.kind != "field"):
            reason = f" ({missing.reason.get(lang)})" if missing.reason else ""
            out.write(f"  □ {missing.title.get(lang)}{reason}\n")
        for unplaced in report.unrecognised_files:
            out.write(f"  ? {unplaced.file}: {unplaced.problem.message(lang)}\n")
        for thing in report.bring_in_person:
            out.write(f"  → {thing.get(lang)}\n")
    return EXIT_OK if report.status == "complete" else EXIT_FILE


def _lint(args: argparse.Namespace, out: TextIO) -> int:
    from pathlib import Path

    from intake import _servicefile
    from intake.services import ServiceError

    paths: list[Path] = []
    for raw in args.paths:
        path = Path(raw)
        if path.is_dir():
            paths += sorted(p for p in path.glob("*.yaml") if p.name != "kinds.yaml")
        elif path.exists():
            paths.append(path)
        else:
            print(f"intake: {raw}: no such file or folder", file=sys.stderr)
            return EXIT_USAGE
    failed = 0
    for path in paths:
        try:
            service, warnings = _servicefile.lint(path)
        except ServiceError as exc:
            failed += 1
            for line in exc.problems:
                out.write(f"{line}\n")
            continue
        blocking = [w for w in warnings if w.blocking]
        failed += bool(blocking)
        noted = f", {len(warnings) - len(blocking)} warning(s)" if len(warnings) > len(blocking) else ""
        verdict = f"FAIL  {path.name}: {len(blocking)} mistake(s)" if blocking else f"ok    {path.name}"
        out.write(f"{verdict}: {service.id} {service.version}, {len(service.forms)} form(s), "
                  f"{len(service.documents)} document(s){noted}\n")
        for warning in warnings:
            out.write(f"{'error' if warning.blocking else 'warn '} {warning.text}\n")
    return EXIT_USAGE if failed else EXIT_OK


def _rules(args: argparse.Namespace, out: TextIO) -> int:
    import csv

    from intake.messages import TEXTS, text
    from intake.report import CODES

    rows = [(code, CODES[code].value, text(key, "en"), text(key, "es"))
            for key in sorted(TEXTS) for code in [key.split(":")[0]] if code in CODES]
    if args.format == "csv":
        writer = csv.writer(out)
        writer.writerow(("code", "severity", "message_en", "message_es"))
        writer.writerows(rows)
        return EXIT_OK
    out.write("| code | severity | English | Español |\n|---|---|---|---|\n")
    for row in rows:
        out.write("| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |\n")
    return EXIT_OK


def _test_service(args: argparse.Namespace, out: TextIO) -> int:
    """Run every sample; a sample that could not run is never counted as passed.

    Skipped samples (a file not on this machine) exit 2 unless ``--allow-missing``; a sample
    the author wrote wrong (a value for a box that does not exist, a choice the form does not
    offer) is a mistake with file, line and key, exit 2, not a traceback.
    """
    from pathlib import Path

    from intake import samples
    from intake.services import load_service

    service = load_service(args.service)
    corpus = Path(args.corpus) if args.corpus else None
    if not service.samples:
        out.write(f"{service.id}: no samples to run\n")
        return EXIT_OK
    passed = failed = skipped = mistakes = 0
    for index, sample in enumerate(service.samples):
        try:
            result = samples.run_one(service, sample, corpus)
        except samples.SampleFileMissing as exc:
            skipped += 1
            out.write(f"skip  {sample.name}: {exc}\n")
            continue
        except samples.SampleMistake as exc:
            mistakes += 1
            out.write(f"error {samples.locate(service, index, exc)}\n")
            continue
        if result.passed:
            passed += 1
        else:
            failed += 1
        out.write(result.explain() + "\n")
    extra = (f", {skipped} skipped" if skipped else "") + (f", {mistakes} with mistakes" if mistakes else "")
    out.write(f"{passed} passed, {failed} failed{extra}\n")
    if mistakes:
        return EXIT_USAGE
    if skipped and not args.allow_missing:
        out.write("some samples did not run: put their files in place (or give --corpus), "
                  "or pass --allow-missing to accept that\n")
        return EXIT_USAGE
    return EXIT_FILE if failed else EXIT_OK


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
