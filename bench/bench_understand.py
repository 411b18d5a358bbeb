"""How well the offline router reads plain-language requests: python -m bench understand

Each request is routed offline (bot/router.py) and compared with the command line it
should become (or "chat" for small talk). Three files, each with its own story names:

- bench/requests/understand.json: the first requests (synopses, characters, scenes,
  questions). Its tuning set shaped the rules; its held-out set was written afterwards
  and never changed them.
- bench/requests/understand_structure.json: the board, scenes, sheet fields, places and
  notes. Its tuning set shaped their rules; its held-out set was written by a helper from
  the command reference before those rules, seen but never used to change them.
- bench/requests/understand_structure_blind.json: the same commands, written by another
  helper and never seen by whoever wrote the rules. Its misses are not printed unless
  asked (``--show-blind``), so that tuning never sees them: the honest figure. (They were
  printed once, after the last change to those rules, for the closing note.)
- bench/requests/understand_blind_2.json: requests for every kind of command, ten of them
  with one slip of two swapped letters, written by a third helper before the rules read
  such slips; blind as the one above.
- bench/requests/understand_blind_3.json: requests for every kind of command, 14 of 24
  with one dropped or doubled letter in a command word, written by a fourth helper
  (without running the router) while the rules for those slips were written; blind.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from bench.common import table
from bot.router import route
from bot.routes import Chat, Understood
from commands import build_registry

REQUESTS = Path(__file__).parent / "requests"
SETS = (
    ("understand.json", "tuning", "first: tuning"),
    ("understand.json", "holdout", "first: held out"),
    ("understand_structure.json", "tuning", "structure: tuning"),
    ("understand_structure.json", "holdout_seen", "structure: held out (seen)"),
    ("understand_structure_blind.json", "holdout", "structure: held out (blind)"),
    ("understand_blind_2.json", "holdout", "everything, with typos: held out (blind)"),
    ("understand_blind_3.json", "holdout", "dropped/doubled letters: held out (blind)"),
)
BLIND = frozenset(
    {"understand_structure_blind.json", "understand_blind_2.json", "understand_blind_3.json"}
)


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


def main(argv: list[str] | None = None) -> None:
    show_blind = "--show-blind" in (sys.argv[1:] if argv is None else argv)
    rows, misses = [], []
    for file, split, label in SETS:
        data = json.loads((REQUESTS / file).read_text())
        right, wrong = score(data[split], data["names"])
        n = len(data[split])
        rows.append({"set": label, "requests": n, "right": right, "share": f"{right / n:.0%}"})
        if file not in BLIND or show_blind:
            misses += [f"[{label}] {w}" for w in wrong]
    print("Offline router: plain-language requests to commands")
    print(table(rows, ["set", "requests", "right", "share"]))
    for miss in misses:
        print("  miss: " + miss)
    if not show_blind:
        print("  (the blind sets' misses are not shown: --show-blind)")


if __name__ == "__main__":
    main()
