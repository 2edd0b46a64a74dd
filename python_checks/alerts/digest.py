"""Per-owner digests: one Markdown and one JSON file per account owner per run.

A run's files are written into a hidden folder that is renamed to ``<digest dir>/<run id>/`` once
all are complete, so a reader never sees half a run.
"""

from __future__ import annotations

import json
import os
import re
from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from python_checks.alerts.message import AlertView, severity_rank
from python_checks.alerts.source import Alert
from python_checks.publish.atomic import fsync_path, replace

UNSAFE_IN_NAME = re.compile(r"[^A-Za-z0-9._-]")


def owner_file_stem(owner: str) -> str:
    """A file name for an owner id: other characters become ``_``; never hidden, never empty."""
    return "owner_" + UNSAFE_IN_NAME.sub("_", owner)[:100]


def _sorted(alerts: Sequence[Alert]) -> list[Alert]:
    return sorted(alerts, key=lambda a: (severity_rank(a.severity), a.alerted_on, a.account_id))


def _entry(alert: Alert, view: AlertView) -> dict[str, Any]:
    return {
        "alert_id": alert.alert_id,
        "account_id": alert.account_id,
        "account": view.account,
        "alerted_on": alert.alerted_on.isoformat(),
        "alert_type": alert.alert_type,
        "severity": alert.severity,
        "message": view.what,
        "health_score": alert.alert_score,
        "current_health_score": alert.current_score,
        "current_health_band": alert.current_band,
        "score": view.score,
        "top_driver": view.top_driver,
        "action": view.action,
        "link": view.link,
    }


def _markdown(owner: str, as_of: date, run_id: str, entries: list[dict[str, Any]]) -> str:
    lines = [
        f"# Health alerts for owner {owner}",
        "",
        f"{len(entries)} new alert(s), build as of {as_of.isoformat()} (run {run_id}).",
        "",
    ]
    for entry in entries:
        account = f"[{entry['account']}]({entry['link']})" if entry["link"] else entry["account"]
        lines += [
            f"## {entry['severity']}: {account}",
            "",
            f"- What: {entry['message']}",
            f"- Score: {entry['score']}",
            f"- Top driver: {entry['top_driver']}",
            f"- Action: {entry['action']}",
            f"- Alert: {entry['alert_type']} `{entry['alert_id']}`",
            "",
        ]
    return "\n".join(lines)


def _write(path: Path, text: str) -> None:
    with path.open("w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())


def write_digests(
    alerts: Sequence[Alert],
    *,
    digest_dir: Path,
    run_id: str,
    as_of: date,
    link_template: str | None,
) -> list[Path]:
    """Write ``<digest_dir>/<run_id>/owner_<id>.md`` and ``.json``; returns the files."""
    by_owner: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for alert in _sorted(alerts):
        view = AlertView.of(alert, link_template)
        by_owner[view.owner].append(_entry(alert, view))
    digest_dir.mkdir(parents=True, exist_ok=True)
    final = digest_dir / run_id
    temp = digest_dir / f".tmp-{run_id}"
    temp.mkdir()
    written: list[Path] = []
    for owner, entries in sorted(by_owner.items()):
        stem = owner_file_stem(owner)
        document = {
            "owner_user_id": owner,
            "as_of": as_of.isoformat(),
            "run_id": run_id,
            "alerts": entries,
        }
        _write(temp / f"{stem}.json", json.dumps(document, indent=2, ensure_ascii=False) + "\n")
        _write(temp / f"{stem}.md", _markdown(owner, as_of, run_id, entries))
        written += [final / f"{stem}.md", final / f"{stem}.json"]
    fsync_path(temp)
    replace(temp, final)
    return written
