"""Recipes for the files of the labelled packets, and the workshop that makes them on demand.

A recipe says in code what a file is: a corpus file, a synthetic document of one of the
applicants, a real blank form filled with answers (``intake._fill``, as the service files'
samples are), an older edition of a form, a letter, a photo, a scan. The workshop makes each
one once, keeps the slow ones (filled forms, generated document sets) in a cache folder, and
raises :class:`Unavailable` with the reason when something it needs is not on this machine,
so a case is skipped rather than failed. Nothing is ever written beside the corpus.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import io
import json
import os
import shutil
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from tests import shared_corpus
from tests.accuracy import people

# The real blank form each service file's form comes from.
FORM_FILES = {
    "ds11": "forms/dos_ds11_passport_application.pdf",
    "ss5": "forms/ssa_ss5_xfa.pdf",
    "w9": "forms/irs_fw9_2024.pdf",
    "mv44": "forms/ny_mv44_driver_license_application.pdf",
    "ccap": "forms/il_ccap_child_care_application.pdf",
    "petition": "forms/ny_ucs_nc1_adult_name_change_petition.pdf",
    "pc51": "forms/mi_pc51_petition_name_change.pdf",
    "ak_request": "forms/ak_birth_cert_name_change_request.pdf",
}
SERVICE_OF_FORM = {
    "ds11": "passport-first-time", "ss5": "social-security-card", "w9": "w9-vendor",
    "mv44": "ny-driver-licence", "ccap": "il-child-care", "petition": "ny-name-change",
    "pc51": "mi-name-change", "ak_request": "ak-birth-certificate-name",
}
# The document sets that ship with the corpus, by make_supporting.py's set names.
CORPUS_SETS = {"public": "supporting/synthetic", "new-york": "supporting/synthetic_ny"}
MAKER = Path("tools") / "make_supporting.py"  # beside the corpus folder
RECIPE_VERSION = "1"


class Unavailable(Exception):
    """Something a file needs (the corpus, the document generator, reportlab) is not here."""


def _frozen(values: Mapping[str, Any]) -> tuple[tuple[str, Any], ...]:
    return tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in values.items()))


class Recipe:
    """How to make one file's bytes."""

    def make(self, shop: Workshop) -> bytes:
        raise NotImplementedError


@dataclass(frozen=True)
class Corpus(Recipe):
    """A file of the shared corpus as it is (a blank form, a flat form, a malformed file)."""

    path: str

    def make(self, shop: Workshop) -> bytes:
        return shop.corpus_file(self.path).read_bytes()


@dataclass(frozen=True)
class Supporting(Recipe):
    """One document of a person's set: the corpus' own two sets, or one generated here."""

    person: str
    file: str

    def make(self, shop: Workshop) -> bytes:
        return (shop.document_set(self.person) / self.file).read_bytes()


@dataclass(frozen=True)
class Filled(Recipe):
    """A real blank form with answers written into its boxes, by the service file's field ids."""

    form: str
    values: tuple[tuple[str, Any], ...]

    def make(self, shop: Workshop) -> bytes:
        from intake._fill import fill_form

        return shop.cached(self, lambda: fill_form(shop.corpus_file(FORM_FILES[self.form]),
                                                   shop.pdf_values(self.form, dict(self.values))))


@dataclass(frozen=True)
class Older(Recipe):
    """An older edition of a form: page 1 prints ``old`` where the current one prints ``current``,
    the boxes are renamed (``rename``: pattern, replacement), then answers are filled in."""

    form: str
    current: tuple[bytes, ...]
    old: tuple[bytes, ...]
    shown: str
    rename: tuple[tuple[str, str], ...] = ()
    values: tuple[tuple[str, Any], ...] = ()

    def make(self, shop: Workshop) -> bytes:
        return shop.cached(self, lambda: self._build(shop))

    def _build(self, shop: Workshop) -> bytes:
        import re

        import pdfplumber

        from tests.editions import older_edition

        values = shop.pdf_values(self.form, dict(self.values))
        renamed = {}
        for name, value in values.items():
            for pattern, replacement in self.rename:
                name = re.sub(pattern, replacement, name)
            renamed[name] = value
        source = shop.plain(shop.corpus_file(FORM_FILES[self.form]).read_bytes())
        made = older_edition(source, dict(zip(self.current, self.old, strict=True)), dict(self.rename), renamed)
        with pdfplumber.open(io.BytesIO(made)) as pdf:
            text = " ".join((pdf.pages[0].extract_text() or "").split())
        current = shop.current_revision(self.form)
        if self.shown not in text or current in text:
            raise AssertionError(f"the older {self.form} prints {text[:200]!r}: want {self.shown!r}, not {current!r}")
        return made


@dataclass(frozen=True)
class Letter(Recipe):
    """A one-page document with a text layer (a court order, an IRS letter, a work permit)."""

    lines: tuple[str, ...]

    def make(self, shop: Workshop) -> bytes:
        from tests.pdfs import text_pdf

        return text_pdf(["\n".join((*self.lines, "", "SAMPLE - NOT A REAL DOCUMENT - made for software testing"))])


@dataclass(frozen=True)
class Photo(Recipe):
    """A phone photo of a card or a passport page: a JPEG with no text layer."""

    lines: tuple[str, ...]

    def make(self, shop: Workshop) -> bytes:
        from PIL import Image, ImageDraw, ImageFilter

        card = Image.new("RGB", (1000, 660), (236, 232, 220))
        draw = ImageDraw.Draw(card)
        draw.rectangle([30, 120, 260, 420], fill=(190, 190, 200))
        for number, line in enumerate((*self.lines, "SAMPLE - NOT A REAL DOCUMENT")):
            draw.text((290, 40 + number * 48), line, fill=(20, 30, 60))
        photo = Image.new("RGB", (1300, 960), (70, 60, 55))
        photo.paste(card.rotate(-2, expand=True, fillcolor=(70, 60, 55)), (140, 120))
        out = io.BytesIO()
        photo.filter(ImageFilter.GaussianBlur(1.0)).save(out, "JPEG", quality=80)
        return out.getvalue()


@dataclass(frozen=True)
class Scan(Recipe):
    """A scan of another file's printed pages: pictures in a PDF, no text layer and no boxes."""

    of: Recipe

    def make(self, shop: Workshop) -> bytes:
        return shop.cached(self, lambda: self._build(shop))

    def _build(self, shop: Workshop) -> bytes:
        import pypdfium2
        from PIL import Image

        pdf = pypdfium2.PdfDocument(shop.make(self.of))
        try:
            pages = [pdf[i].render(scale=100 / 72).to_pil().convert("L") for i in range(len(pdf))]
        finally:
            pdf.close()
        noisy = [Image.blend(p, Image.effect_noise(p.size, 20).convert("L"), 0.08).convert("RGB") for p in pages]
        out = io.BytesIO()
        noisy[0].save(out, "PDF", resolution=100.0, save_all=True, append_images=noisy[1:])
        return out.getvalue()


def corpus(path: str) -> Corpus:
    return Corpus(path)


def doc(set_name: str, file: str) -> Supporting:
    return Supporting(set_name, file)


def filled(form: str, values: Mapping[str, Any]) -> Filled:
    return Filled(form, _frozen(values))


def older(form: str, current: Iterable[bytes], old: Iterable[bytes], shown: str, *,
          rename: Mapping[str, str] | None = None, values: Mapping[str, Any] | None = None) -> Older:
    return Older(form, tuple(current), tuple(old), shown, tuple((rename or {}).items()), _frozen(values or {}))


def letter(*lines: str) -> Letter:
    return Letter(tuple(lines))


def photo(*lines: str) -> Photo:
    return Photo(tuple(lines))


@dataclass
class Workshop:
    """Makes the recipes' bytes, once each; ``cache`` keeps the slow ones between runs."""

    cache: Path
    corpus_root: Path = field(default_factory=lambda: shared_corpus.ROOT)
    _made: dict[Recipe, bytes] = field(default_factory=dict)
    _sets: dict[str, Path] = field(default_factory=dict)
    _maker: ModuleType | None = None

    def make(self, recipe: Recipe) -> bytes:
        if recipe not in self._made:
            self._made[recipe] = recipe.make(self)
        return self._made[recipe]

    def corpus_file(self, path: str) -> Path:
        if not (self.corpus_root / "MANIFEST.tsv").is_file():
            raise Unavailable(shared_corpus.MISSING)
        found = self.corpus_root / path
        if not found.is_file():
            raise Unavailable(f"{path} is not in the shared corpus")
        return found

    def cached(self, recipe: Recipe, build: Any) -> bytes:
        """``build()``, kept on disk under a key of the recipe and what it is made from."""
        key = hashlib.sha256(f"{RECIPE_VERSION}|{recipe!r}|{self._inputs()}".encode()).hexdigest()[:32]
        path = self.cache / "files" / f"{key}.pdf"
        if path.is_file():
            return path.read_bytes()
        data: bytes = build()
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}.part")
        partial.write_bytes(data)
        partial.replace(path)  # whole or not at all, even with two runs at once
        return data

    def _inputs(self) -> str:
        """What a cached file depends on besides its recipe: the filler's and builders' code."""
        import intake._fill

        sources = [Path(intake._fill.__file__), Path(__file__), Path(__file__).parents[1] / "editions.py"]
        return hashlib.sha256(b"".join(p.read_bytes() for p in sources)).hexdigest()[:16]

    def pdf_values(self, form: str, values: Mapping[str, Any]) -> dict[str, Any]:
        """Answers by field id, as PDF field name -> value (a field split in boxes takes a list)."""
        spec = _service(SERVICE_OF_FORM[form]).form(form)
        out: dict[str, Any] = {}
        for field_id, value in values.items():
            sources = spec.fields[field_id].sources
            parts = list(value) if isinstance(value, (list, tuple)) else [value]
            if len(parts) != len(sources):
                raise ValueError(f"{form}.{field_id} has {len(sources)} boxes: give {len(sources)} values")
            out.update(zip(sources, parts, strict=True))
        return out

    def current_revision(self, form: str) -> str:
        return _service(SERVICE_OF_FORM[form]).form(form).revision or ""

    @staticmethod
    def plain(data: bytes) -> bytes:
        """The form without its owner-only encryption, so its page can be rewritten."""
        from pypdf import PdfReader, PdfWriter

        reader = PdfReader(io.BytesIO(data))
        if not reader.is_encrypted:
            return data
        reader.decrypt("")
        out = io.BytesIO()
        PdfWriter(clone_from=reader).write(out)
        return out.getvalue()

    def document_set(self, name: str) -> Path:
        """The folder of one person's documents: in the corpus, or generated into the cache."""
        if name in CORPUS_SETS:
            return self.corpus_file(f"{CORPUS_SETS[name]}/MANIFEST.tsv").parent
        if name not in self._sets:
            self._sets[name] = self._generate(name)
        return self._sets[name]

    def _generate(self, name: str) -> Path:
        maker = self._load_maker()
        config = people.SETS[name]
        stamp = hashlib.sha256(json.dumps(config, sort_keys=True).encode()
                               + Path(str(maker.__file__)).read_bytes()).hexdigest()[:16]
        folder = self.cache / "supporting" / f"{name}-{stamp}"
        if (folder / "MANIFEST.json").is_file():
            return folder
        making = folder.with_name(f"{folder.name}.{os.getpid()}.part")
        shutil.rmtree(making, ignore_errors=True)
        making.mkdir(parents=True)
        maker.SETS[name] = config
        rows = maker.build(making, name)
        problems = maker.verify(making, rows)
        if problems:
            raise AssertionError(f"the {name} documents are not what their manifest says: {problems}")
        (making / "MANIFEST.json").write_text(json.dumps(rows, indent=1, default=str), encoding="utf-8")
        try:
            making.rename(folder)
        except OSError:  # another run made the same set first
            shutil.rmtree(making, ignore_errors=True)
        return folder

    def _load_maker(self) -> ModuleType:
        if self._maker is not None:
            return self._maker
        path = self.corpus_root.parent / MAKER
        if not path.is_file():
            raise Unavailable(f"the document generator ../shared/{MAKER} is not here")
        try:
            import reportlab  # noqa: F401
        except ImportError:
            raise Unavailable("reportlab is not installed, and the document generator needs it") from None
        spec = importlib.util.spec_from_file_location("make_supporting", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        self._maker = module
        return module


@functools.cache
def _service(service_id: str) -> Any:
    import intake

    return intake.load_service(service_id)
