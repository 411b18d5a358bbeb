"""Terminal start to first prompt, and peak memory, on a pseudo-terminal.

Target: under 1 s to the prompt and under 150 MB peak (RSS high-water mark), torch not
imported. Run: python -m bench.bench_startup
"""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import median, percentile, table

RUNS = 7


def _one(db: Path) -> tuple[float, float, bool]:
    leader, follower = pty.openpty()
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "SLACK_", "DISCORD_"))
    }
    env["WRITERSROOM_DATA_DIR"] = str(db.parent)
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "shell", "--db", str(db)],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=env,
        close_fds=True,
    )
    os.close(follower)
    seen = b""
    elapsed = float("nan")
    deadline = t0 + 20
    while time.perf_counter() < deadline:
        ready, _, _ = select.select([leader], [], [], 0.05)
        if ready:
            try:
                seen += os.read(leader, 4096)
            except OSError:
                break
            if b"> " in seen:
                elapsed = time.perf_counter() - t0
                break
    status = Path(f"/proc/{proc.pid}/status").read_text()
    peak_kb = int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM")))
    maps = Path(f"/proc/{proc.pid}/maps").read_text()
    torch_loaded = "torch" in maps
    os.write(leader, b"\x04")  # Ctrl-D: end of input
    try:
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(leader)
    return elapsed, peak_kb / 1024, torch_loaded


def run() -> list[dict[str, object]]:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        _one(db)  # first run creates the database; not counted
        results = [_one(db) for _ in range(RUNS)]
    times = [r[0] for r in results]
    mems = [r[1] for r in results]
    return [
        {
            "measure": "start to first prompt (s)",
            "median": f"{median(times):.3f}",
            "p90": f"{percentile(times, 90):.3f}",
            "target": "< 1.0",
        },
        {
            "measure": "peak memory (MB)",
            "median": f"{median(mems):.1f}",
            "p90": f"{percentile(mems, 90):.1f}",
            "target": "< 150",
        },
        {
            "measure": "torch imported",
            "median": str(any(r[2] for r in results)),
            "p90": "",
            "target": "False",
        },
    ]


def main() -> None:
    print(f"Terminal startup ({RUNS} runs after a warm-up)")
    print(table(run(), ["measure", "median", "p90", "target"]))


if __name__ == "__main__":
    main()
