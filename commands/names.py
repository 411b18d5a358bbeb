"""How writers type a name with its description: "Mara Quell, a disgraced oxygen engineer".

A name ends at a comma, a colon, a semicolon or a dash (a spaced hyphen, an en or em
dash; "Jean-Luc" keeps its hyphen), and what follows is the description. The same rule
holds for a name the text parser read ("/character new Mara Quell, a …", where the name
arrives as "Mara Quell,") and for a name typed whole into a platform's option.
"""

from __future__ import annotations

import re

_END = re.compile(r"\s*(?:[,:;]|\s-\s|\s-$|[—–])\s*")
_LEADING = re.compile(r"^(?:[,:;]|-+|[—–])\s*")


def split_name(name: str, description: str = "") -> tuple[str, str]:
    """(the name, the description with anything cut from the name in front of it)."""
    found = _END.search(name)
    if found is None:
        return name.strip(), _LEADING.sub("", description.strip())
    head, tail = name[: found.start()].strip(), name[found.end() :].strip()
    rest = " ".join(x for x in (tail, _LEADING.sub("", description.strip())) if x)
    return head, rest
