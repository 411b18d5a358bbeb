"""The import direction is a contract (pyproject.toml, [tool.importlinter]): adapters, then
the app, dispatch and jobs, commands, the command kit, generation and storage (which do
not know each other), and core, which imports nothing of the project. ``make lint`` runs
the same check; this test keeps it from eroding between lint runs."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.timeout(120)


def lint_imports(cwd: Path, config: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(Path(sys.executable).parent / "lint-imports"), "--config", str(config), "--no-cache"],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(cwd), "PATH": "/usr/bin:/bin"},
        timeout=110,
    )


def test_the_project_keeps_every_import_contract() -> None:
    done = lint_imports(ROOT, ROOT / "pyproject.toml")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def test_a_lower_layer_reaching_up_breaks_the_contract(tmp_path: Path) -> None:
    """The same kind of contract on a two-package tree: core importing bot is caught."""
    (tmp_path / "core").mkdir()
    (tmp_path / "bot").mkdir()
    (tmp_path / "core" / "__init__.py").write_text("")
    (tmp_path / "bot" / "__init__.py").write_text("import core\n")
    (tmp_path / "core" / "types.py").write_text("import bot  # reaching up\n")
    config = tmp_path / "setup.toml"
    config.write_text(
        textwrap.dedent(
            """
            [tool.importlinter]
            root_packages = ["core", "bot"]

            [[tool.importlinter.contracts]]
            name = "bot above core"
            type = "layers"
            layers = ["bot", "core"]
            """
        )
    )
    done = lint_imports(tmp_path, config)
    assert done.returncode != 0 and "core.types -> bot" in done.stdout
