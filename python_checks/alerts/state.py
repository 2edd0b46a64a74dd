"""What was delivered: one JSON file in the state folder, replaced atomically after each change.

Per channel (``webhook``, ``digest``) it keeps one record per alert it has seen: ``delivered``,
``pending`` (due, not delivered yet: a failed send or over the per-run bound), ``skipped``
(older than the first run's window: never sent) or ``withdrawn`` (pending, then gone from the
marts). A lock file keeps two runs on one state folder from sending the same alert twice.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Literal

from python_checks.alerts.errors import AlertsError
from python_checks.publish.atomic import write_json

STATE_FILE = "delivery_state.json"
LOCK_FILE = ".delivery.lock"
STATE_VERSION = 1
# Records of alerts this many days older than the window are dropped: such an alert is never
# read again unless the build's as-of date moves back by more than this.
RETENTION_DAYS = 30

Status = Literal["pending", "delivered", "skipped", "withdrawn"]
STATUSES: frozenset[str] = frozenset({"pending", "delivered", "skipped", "withdrawn"})


@dataclass
class Record:
    """One alert as one channel saw it."""

    account_id: str
    alerted_on: str
    status: Status
    first_seen_at: str
    attempts: int = 0
    last_error: str | None = None
    delivered_at: str | None = None


@dataclass
class ChannelState:
    started_at: str
    records: dict[str, Record] = field(default_factory=dict)

    def pending_ids(self) -> list[str]:
        return [key for key, record in self.records.items() if record.status == "pending"]

    def prune(self, before: date) -> int:
        """Drop finished records of alerts raised before ``before``; pending ones stay."""
        cutoff = before.isoformat()
        stale = [
            key
            for key, record in self.records.items()
            if record.status != "pending" and record.alerted_on < cutoff
        ]
        for key in stale:
            del self.records[key]
        return len(stale)


@dataclass
class DeliveryState:
    path: Path
    channels: dict[str, ChannelState] = field(default_factory=dict)

    def save(self) -> None:
        payload = {
            "version": STATE_VERSION,
            "channels": {
                name: {
                    "started_at": channel.started_at,
                    "records": {key: asdict(rec) for key, rec in channel.records.items()},
                }
                for name, channel in sorted(self.channels.items())
            },
        }
        write_json(self.path, self.path.with_name(f".{self.path.name}.tmp"), payload)


def retention_cutoff(window_start: date) -> date:
    return window_start - timedelta(days=RETENTION_DAYS)


def _bad(path: Path, why: str) -> AlertsError:
    return AlertsError(
        f"state file {path} is not a delivery state ({why}); move it away to start over"
        " (the next run then sends only the first run's window)"
    )


def _record(path: Path, key: str, raw: object) -> Record:
    if not isinstance(raw, dict):
        raise _bad(path, f"record {key} is not an object")
    try:
        record = Record(**raw)
    except TypeError as exc:
        raise _bad(path, f"record {key}: {exc}") from None
    if record.status not in STATUSES:
        raise _bad(path, f"record {key} has status {record.status!r}")
    return record


def load(state_dir: Path) -> DeliveryState:
    """The state in ``state_dir`` (empty when there is none yet)."""
    path = state_dir / STATE_FILE
    if not path.exists():
        return DeliveryState(path)
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise _bad(path, str(exc)) from None
    if not isinstance(payload, dict) or payload.get("version") != STATE_VERSION:
        raise _bad(path, f"expected version {STATE_VERSION}")
    channels: dict[str, ChannelState] = {}
    for name, raw in (payload.get("channels") or {}).items():
        if not isinstance(raw, dict) or not isinstance(raw.get("records"), dict):
            raise _bad(path, f"channel {name} has no records")
        records = {key: _record(path, key, value) for key, value in raw["records"].items()}
        channels[name] = ChannelState(str(raw.get("started_at")), records)
    return DeliveryState(path, channels)


@contextmanager
def locked(state_dir: Path) -> Iterator[None]:
    """Hold the state folder's lock for a run; refuse at once if another run holds it."""
    try:
        state_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise AlertsError(f"cannot create the state folder {state_dir}: {exc}") from None
    lock_path = state_dir / LOCK_FILE
    handle = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise AlertsError(
                f"another delivery run holds {lock_path}: wait for it to finish"
            ) from None
        yield
    finally:
        os.close(handle)
