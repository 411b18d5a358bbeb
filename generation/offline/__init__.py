"""The offline draft engine: writing from templates and the bible, with no model.

The code here is the grammar and the story logic; the word banks it draws on (genres,
shapes, tones, beats, lines, sheets, names, voices) are TOML files in ``data/``, read once
through ``generation.packdata``.
"""

from generation.offline.engine import NAME, OfflineEngine

__all__ = ["NAME", "OfflineEngine"]
