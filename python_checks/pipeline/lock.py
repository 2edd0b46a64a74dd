"""One pipeline run at a time: an exclusive, non-blocking ``flock`` on a lock file.

The cron runner and the Dagster job take the same lock file, so whichever starts second
refuses with a message naming the lock file and the run that holds it. The kernel drops a
``flock`` when its holder exits, however it exits: a lock file left behind by a killed run
holds nothing, and the next run takes it.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

# sysexits.h EX_TEMPFAIL: try again later. What `python -m python_checks.pipeline` exits with
# when another run holds the lock (cron mails it; nothing was done).
EXIT_LOCKED = 75


class PipelineLocked(RuntimeError):
    """Another run holds the pipeline lock; this one did not start."""

    def __init__(self, lock_file: Path, holder: str) -> None:
        self.lock_file = lock_file
        self.holder = holder
        super().__init__(
            f"another health pipeline run holds the lock {lock_file} ({holder}); "
            "this run did not start and changed nothing. Let that run finish, or stop it; "
            "the lock is released when its process exits."
        )


def _holder(lock_file: Path) -> str:
    """What the run holding the lock wrote about itself, for the refusal message."""
    try:
        info = json.loads(lock_file.read_text() or "{}")
    except (OSError, ValueError):
        return "holder unknown"
    if not isinstance(info, dict) or not info.get("run"):
        return "holder unknown: a lock taken with flock(1) records none"
    return (
        f"held by {info['run']} (pid {info.get('pid', '?')} on {info.get('host', '?')}, "
        f"since {info.get('since', '?')})"
    )


@contextmanager
def pipeline_lock(lock_file: Path, run: str) -> Iterator[Path]:
    """Hold the pipeline lock for the ``with`` block; raise PipelineLocked at once if another
    run holds it (never wait: a scheduled run that finds one still going should not pile up).

    ``run`` says who holds it (e.g. ``cron daily`` or ``dagster run <id>``); it is written into
    the lock file for the message another run shows.
    """
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    with lock_file.open("a+") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise PipelineLocked(lock_file, _holder(lock_file)) from None
        info = {
            "run": run,
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "since": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        handle.seek(0)
        handle.truncate()
        handle.write(json.dumps(info) + "\n")
        handle.flush()
        try:
            yield lock_file
        finally:
            handle.seek(0)
            handle.truncate()
            handle.flush()
