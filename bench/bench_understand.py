"""How well the offline router reads plain-language requests: python -m bench understand

Each request in bench/requests/understand.json is routed offline (bot/understand.py) and
compared with the command line it should become (or "chat" for small talk). The tuning
set shaped the rules; the held-out set was written afterwards and never changed them,
so its figure is the honest one.
"""

from __future__ import annotations

import json
from pathlib import Path

from bench.common import table
from bot.router import route
from bot.routes import Chat, Understood
from commands import build_registry

DATA = Path(__file__).parent / "requests" / "understand.json"


def score(examples: list[list[str]], names: list[str]) -> tuple[int, list[str]]:
    registry = build_registry()
    right, wrong = 0, []
    for text, expected in examples:
        got = route(text, registry, names)
        line = (
            "chat"
            if isinstance(got, Chat)
            else got.line
            if isinstance(got, Understood)
            else "ask-back"
        )
        if line == expected:
            right += 1
        else:
            wrong.append(f"{text!r} -> {line!r} (wanted {expected!r})")
    return right, wrong


def main() -> None:
    data = json.loads(DATA.read_text())
    rows, misses = [], []
    for split in ("tuning", "holdout"):
        right, wrong = score(data[split], data["names"])
        n = len(data[split])
        rows.append({"set": split, "requests": n, "right": right, "share": f"{right / n:.0%}"})
        misses += [f"[{split}] {w}" for w in wrong]
    print("Offline router: plain-language requests to commands")
    print(table(rows, ["set", "requests", "right", "share"]))
    for miss in misses:
        print("  miss: " + miss)


if __name__ == "__main__":
    main()
