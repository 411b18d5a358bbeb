"""The offline draft engine: writing from templates and the bible, with no model."""

from generation.offline.engine import NAME, OfflineEngine

__all__ = ["NAME", "OfflineEngine"]
