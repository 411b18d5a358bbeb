"""Run every benchmark and print its table: python -m bench [name ...]"""

from __future__ import annotations

import importlib
import sys

BENCHES = [
    "bench_startup",
    "bench_storage",
    "bench_model",
    "bench_discord",
    "bench_images",
    "bench_summary",
    "bench_understand",
    "bench_slack",
    "bench_load",
    "bench_scale",
    "bench_takeover",
    "bench_draft",
    "bench_web",
]


def main(names: list[str]) -> None:
    for name in names or BENCHES:
        module = importlib.import_module(
            f"bench.{name if name.startswith('bench_') else 'bench_' + name}"
        )
        module.main()
        print()


main(sys.argv[1:])
