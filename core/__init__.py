"""The shared core: the types every layer speaks, the error tree and text basics.

It imports nothing of the project (an import-linter contract checks it), so adapters,
dispatch, commands, generation and storage can all depend on it without cycles.
"""
