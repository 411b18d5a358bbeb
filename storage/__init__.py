"""Storage: the story bible, revisions, conversations, jobs and usage.

Commands depend on the ``storage.api.Store`` Protocol; ``open_store`` gives the SQLite
driver, the only one so far.
"""

from storage.sqlite import SQLiteStore, open_store

__all__ = ["SQLiteStore", "open_store"]
