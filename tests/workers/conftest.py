"""The worker tests run real processes on the PostgreSQL test cluster: they need the
images extra (torch, diffusers) for the tiny random pipeline, and PostgreSQL."""

from __future__ import annotations

from tests.images.conftest import tiny_model

__all__ = ["tiny_model"]
