"""Storage: the story bible, revisions, conversations, jobs, usage and images.

Commands depend on the ``storage.api.Store`` Protocol; ``open_store`` opens it on SQLite
(a file path, the default) or PostgreSQL (a ``postgresql://`` URL).
"""

from storage.store import SQLStore, open_store

__all__ = ["SQLStore", "open_store"]
