"""The image queue: image jobs for GPU workers, on the same PostgreSQL, through procrastinate.

Why procrastinate: it is asyncio-native and PostgreSQL-only, so the queue needs no other
server; it runs on psycopg 3, the driver storage already uses (it keeps a small pool of
its own, and a job is submitted on our transaction's connection, with our row); workers
register and send heartbeats, a running job can be aborted by a notification, and a job
is fetched by one worker with ``FOR UPDATE SKIP LOCKED``. This package is the
only code that imports it (an import-linter contract says so). Its schema is applied by our
own migrations (storage/postgres_schema.py), under our migration lock.

What procrastinate holds: one queued job per image, whose only argument is our job id
(no prompt text in its tables, so forgetting a channel leaves nothing there). What we
hold, in ``image_jobs`` (one row per bot job): the request, where the room's placeholder
is, the worker's progress (step k of n, a preview file), its result (files under the
shared data directory) or its error, and how often a worker died under it. Every change
of a row is announced on ``CHANNEL`` (LISTEN/NOTIFY), so the bot process that owns the
conversation follows it without polling.

A row's life: queued -> running -> done | failed | cancelled, and done -> posted once the
owning bot process has posted the image. A worker that dies mid-job (no heartbeat for
``worker_timeout`` seconds) has its job put back in line once (``requeue_stalled``, run
by every worker and by bot processes following a job); the second time it is failed.

Modules: ``jobs`` (the row as plain data, the shared names; it imports no queue engine,
so commands can name a job's states without procrastinate installed), ``client``
(``ImageQueue``: submit, follow, cancel, the line, dead workers, every change of a row),
``workers`` (procrastinate workers running a handler, one per device). Nothing is
imported here: a process that never opens the queue never loads procrastinate.
"""
