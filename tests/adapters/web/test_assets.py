"""The front end is two plain files shipped in the package: pyproject's package data
carries them, nothing is fetched or built, and the script stays small and inline-free."""

from __future__ import annotations

import fnmatch
import re
import tomllib
from pathlib import Path

from bot.adapters.web.routes import ASSET_TYPES, load_assets

ROOT = Path(__file__).resolve().parents[3]
ASSETS = ROOT / "bot" / "adapters" / "web" / "assets"


def test_package_data_ships_every_asset() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    setuptools = project["tool"]["setuptools"]
    assert "bot.adapters.web" in setuptools["packages"]
    globs = setuptools["package-data"]["bot.adapters.web"]
    files = sorted(p.name for p in ASSETS.iterdir() if p.is_file())
    assert files == sorted(ASSET_TYPES)
    for name in files:
        assert any(fnmatch.fnmatch(f"assets/{name}", g) for g in globs), name
    assert set(load_assets()) == set(ASSET_TYPES)


def test_the_script_is_plain_and_small_and_fetches_nothing_elsewhere() -> None:
    script = (ASSETS / "board.js").read_text()
    assert len(script.splitlines()) < 500
    assert not re.search(r"\bimport\b|require\(|https?://|eval\(|new Function", script)
    assert re.findall(r'fetch\("([^"]+)"', script) == ["api/", "api/events"]
    # HTML only ever comes from the server's answer; story text is never put together here
    assert script.count(".innerHTML") == 1 and "outerHTML" not in script
