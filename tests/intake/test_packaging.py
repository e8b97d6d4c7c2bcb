"""A plain install carries the shipped services and no web package; built as a wheel and inspected."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
# What a build of the library reads: the metadata, the package and the service files it maps in.
SOURCES = ("setup.cfg", "pyproject.toml", "README.md", "LICENSE", "intake", "schemas")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel built from a copy of the sources, so the build leaves nothing in the checkout."""
    work = tmp_path_factory.mktemp("build")
    tree = work / "src"
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tree / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            tree.mkdir(exist_ok=True)
            shutil.copy(source, tree / name)
    try:
        done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                               "--no-index", "-q", "-w", str(work / "dist"), str(tree)],
                              capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        pytest.skip("building a wheel took more than two minutes here")
    built = sorted((work / "dist").glob("intake-*.whl")) if done.returncode == 0 else []
    if not built:
        pytest.skip(f"a wheel cannot be built here (setuptools 68 and wheel are needed): "
                    f"{(done.stderr or done.stdout).strip().splitlines()[-1:]}")
    return built[0]


def test_the_wheel_carries_every_shipped_service_file_and_kinds(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {f"intake/schemas/{p.name}" for p in (ROOT / "schemas").glob("*.yaml")}
    assert "intake/schemas/kinds.yaml" in shipped and shipped <= names
    assert "intake/schemas/README.md" in names and "intake/py.typed" in names


def test_the_wheel_has_no_web_package(wheel: Path) -> None:
    assert not [n for n in zipfile.ZipFile(wheel).namelist() if n.startswith("web/")]


def test_load_service_by_id_works_from_the_wheel_alone(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = ("import intake, sys; s = intake.load_service('passport-first-time'); "
            "assert intake.__file__.startswith(sys.argv[1]), intake.__file__; print(s.id, len(s.kinds))")
    env = {"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-c", code, str(site)], capture_output=True, text=True, cwd=tmp_path,
                          env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    service_id, kinds = done.stdout.split()
    assert service_id == "passport-first-time" and int(kinds) > 0
