"""The offline engine's output, byte for byte, for scripted terminal sessions.

Each ``golden/<name>.txt`` is a session as a writer types it (the README's "A session", a
portrait thread, and one script per genre that runs every writing command and follow-up);
``golden/<name>.out`` is what ``python -m bot shell --seed N`` printed for it, recorded
before the word banks moved from Python tuples into data files. A change to a bank, a
template or the grammar shows here as a diff. To re-record after a deliberate change:
``PYTHONPATH=$PWD .venv/bin/python -m tests.generation.test_offline_golden``.
"""

from __future__ import annotations

import asyncio
import io
import itertools
import re
import sys
import tempfile
from pathlib import Path

import pytest

from bot.adapters.terminal import Terminal
from bot.app import open_app
from bot.settings import load_settings

GOLDEN = Path(__file__).parent / "golden"
# The seed each script was recorded with (--seed).
SEEDS = {"session": 7, "portrait": 7} | {f"wide{i}": 7 + 101 * i for i in range(10)}


def _normalise(text: str, data_dir: Path) -> str:
    """Mask what differs between runs of the same script: clock, paths, timings, ids."""
    text = re.sub(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", "<when>", text)
    text = text.replace(str(data_dir), "<data>")
    text = re.sub(r"-[0-9a-f]{10}\.png", "-<id>.png", text)
    text = re.sub(r"· \d+\.\d s ·", "· <seconds> ·", text)
    return re.sub(r"error id [0-9a-f]{8}", "error id <id>", text)


async def run_script(name: str, data_dir: Path) -> str:
    """What the terminal prints for ``golden/<name>.txt`` on a fresh database."""
    settings = load_settings({"WRITERSROOM_DATA_DIR": str(data_dir)}, dotenv=None)
    counter = itertools.count(SEEDS[name])
    out = io.StringIO()
    async with open_app(settings, seeds=lambda: next(counter)) as app:
        terminal = Terminal(app, stdin=io.StringIO(), stdout=out, interactive=False)
        for line in (GOLDEN / f"{name}.txt").read_text().splitlines():
            await terminal.handle_line(line)
    return _normalise(out.getvalue(), data_dir)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(SEEDS))
async def test_offline_sessions_print_what_they_printed_before(name: str, tmp_path: Path) -> None:
    expected = (GOLDEN / f"{name}.out").read_text()
    assert await run_script(name, tmp_path / "data") == expected


def _record() -> None:
    for name in sorted(SEEDS):
        with tempfile.TemporaryDirectory() as tmp:
            text = asyncio.run(run_script(name, Path(tmp) / "data"))
        (GOLDEN / f"{name}.out").write_text(text)
        sys.stdout.write(f"recorded golden/{name}.out\n")


if __name__ == "__main__":
    _record()
