"""The word banks and vocabularies ship as package data and are found from an installed
package: a wheel built from pyproject.toml carries every data file, and the offline
engine writes from an unpacked wheel with the checkout off the path."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
OFFLINE = ROOT / "generation" / "offline"
DATA_FILES = sorted(
    str(p.relative_to(ROOT)) for p in (ROOT / "generation").rglob("*.toml") if p.is_file()
)
PACKAGES = ("core", "bot", "commands", "storage", "generation")

# Run from the unpacked wheel only: every bank, the follow-up vocabulary, a whole draft.
_DRAFT = """
import asyncio, sys
import generation, generation.followups
from core.models import Bible, Character, Story
from generation.base import WritingTask
from generation.offline import OfflineEngine
assert generation.__file__.startswith(sys.argv[1]), generation.__file__
bible = Bible(
    Story(1, ("t", "w", "c"), title="Tide", genre="space western", logline="A pilot must pay"),
    (Character(name="Mara", pronouns="she/her", role="protagonist"),),
)
engine = OfflineEngine()
for kind, params in [
    ("synopsis", {"length": "page"}),
    ("outline", {"acts": 3}),
    ("dialogue", {"situation": "the debt"}),
    ("character", {"name": "Jonah"}),
]:
    draft = asyncio.run(engine.write(WritingTask(kind, bible, 7, params, bible.characters)))
    assert draft.text, kind
assert generation.followups.read("shorter").revision == "shorter"
print("ok")
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel built by setuptools from a copy of the project's sources."""
    src = tmp_path_factory.mktemp("src")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    for package in PACKAGES:
        shutil.copytree(ROOT / package, src / package, ignore=shutil.ignore_patterns("__pycache__"))
    out = tmp_path_factory.mktemp("dist")
    build = f"from setuptools import build_meta; build_meta.build_wheel({str(out)!r})"
    subprocess.run(
        [sys.executable, "-c", build], cwd=src, check=True, capture_output=True, timeout=120
    )
    return next(out.glob("*.whl"))


@pytest.mark.slow
def test_the_wheel_carries_every_data_file(wheel: Path) -> None:
    assert DATA_FILES  # the banks and the vocabulary exist as files
    with zipfile.ZipFile(wheel) as z:
        shipped = set(z.namelist())
    assert [f for f in DATA_FILES if f not in shipped] == []


@pytest.mark.slow
def test_the_offline_engine_writes_from_an_installed_package(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as z:
        z.extractall(site)
    # -I: no PYTHONPATH, no current directory: only the unpacked wheel and the venv.
    script = f"import sys; sys.path.insert(0, {str(site)!r})\n" + _DRAFT
    done = subprocess.run(
        [sys.executable, "-I", "-c", script, str(site)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def _imports(module: Path) -> set[str]:
    """The offline modules this module imports, at top level or inside functions."""
    names = {p.stem for p in OFFLINE.glob("*.py")}
    found: set[str] = set()
    for node in ast.walk(ast.parse(module.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module == "generation.offline":
            found |= {a.name for a in node.names if a.name in names}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
            "generation.offline."
        ):
            found.add(str(node.module).split(".")[2])
    return found - {module.stem}


def test_the_offline_modules_import_each_other_without_a_cycle() -> None:
    graph = {p.stem: _imports(p) for p in OFFLINE.glob("*.py") if p.stem != "__init__"}
    done: set[str] = set()

    def visit(name: str, path: tuple[str, ...]) -> None:
        assert name not in path, " -> ".join((*path, name))
        if name in done:
            return
        for dep in sorted(graph[name]):
            visit(dep, (*path, name))
        done.add(name)

    for name in sorted(graph):
        visit(name, ())
