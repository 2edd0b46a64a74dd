"""One delivery run: find the alerts due on each channel, deliver them, remember the outcome.

What is due on a channel:
- First run of the channel (no record of it in the state file): only alerts raised within
  ``first_run_days`` of the build's as-of date (default: that day alone). The rest of the window
  is recorded as ``skipped`` and never sent: nobody wants two years of history on day one.
- Every run: alerts raised within the last ``window_days`` days that the channel has no record
  of yet (late data can raise an alert for a day already delivered), plus every ``pending``
  alert (a failed send, or over the per-run bound), however old, while the marts still hold it.

The webhook gets at most ``max_sends`` messages a run, most severe and oldest first, and stops
at the first failure (the rest stay pending). The digest writes all due alerts of the run.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from python_checks.alerts import state as state_mod
from python_checks.alerts.digest import write_digests
from python_checks.alerts.message import severity_rank, webhook_payload
from python_checks.alerts.settings import MAX_SENDS, WEBHOOK_URL, DeliverySettings, describe_url
from python_checks.alerts.source import Alert, read_alerts
from python_checks.alerts.state import ChannelState, DeliveryState, Record
from python_checks.alerts.webhook import SendError, post_json
from python_checks.publish.layout import new_build_id

WEBHOOK = "webhook"
DIGEST = "digest"


@dataclass
class ChannelReport:
    """What one channel did in a run."""

    channel: str
    target: str
    first_run: bool = False
    due: int = 0
    delivered: int = 0
    skipped: int = 0
    withdrawn: int = 0
    deferred: int = 0
    pending_after: int = 0
    failure: str | None = None
    files: list[Path] = field(default_factory=list)


@dataclass
class RunReport:
    run_id: str
    as_of: date
    build_id: str | None
    window_start: date
    channels: list[ChannelReport]

    @property
    def ok(self) -> bool:
        return all(channel.failure is None for channel in self.channels)

    def as_json(self) -> dict[str, object]:
        return {
            "run_id": self.run_id,
            "as_of": self.as_of.isoformat(),
            "build_id": self.build_id,
            "window_start": self.window_start.isoformat(),
            "ok": self.ok,
            "channels": [
                {
                    **{key: value for key, value in vars(channel).items() if key != "files"},
                    "files": [str(path) for path in channel.files],
                }
                for channel in self.channels
            ],
        }


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _order(alert: Alert) -> tuple[int, date, str, str]:
    return (severity_rank(alert.severity), alert.alerted_on, alert.account_id, alert.alert_id)


def _discover(
    channel: ChannelState,
    alerts: dict[str, Alert],
    *,
    since: date,
    now: str,
    report: ChannelReport,
) -> list[Alert]:
    """Record newly seen alerts (pending, or skipped before ``since``); the due ones, in order."""
    for alert_id, alert in alerts.items():
        if alert_id in channel.records:
            continue
        status: state_mod.Status = "pending" if alert.alerted_on >= since else "skipped"
        channel.records[alert_id] = Record(
            account_id=alert.account_id,
            alerted_on=alert.alerted_on.isoformat(),
            status=status,
            first_seen_at=now,
        )
        report.skipped += status == "skipped"
    due: list[Alert] = []
    for alert_id in channel.pending_ids():
        if alert_id in alerts:
            due.append(alerts[alert_id])
        else:
            # The build no longer raises it (rewritten days, changed rules): nothing to send.
            channel.records[alert_id].status = "withdrawn"
            report.withdrawn += 1
    due.sort(key=_order)
    report.due = len(due)
    return due


def _failed(record: Record, error: str) -> None:
    record.attempts += 1
    record.last_error = error


def _delivered(record: Record, now: str) -> None:
    record.attempts += 1
    record.status = "delivered"
    record.last_error = None
    record.delivered_at = now


def _send_webhook(
    settings: DeliverySettings,
    state: DeliveryState,
    channel: ChannelState,
    due: list[Alert],
    report: ChannelReport,
    sleep: Callable[[float], None],
) -> None:
    assert settings.webhook_url is not None
    batch = due[: settings.max_sends]
    report.deferred = len(due) - len(batch)
    for index, alert in enumerate(batch):
        if index and settings.send_interval_seconds:
            sleep(settings.send_interval_seconds)
        record = channel.records[alert.alert_id]
        try:
            post_json(
                settings.webhook_url,
                webhook_payload(alert, settings.link_template),
                timeout=settings.timeout_seconds,
            )
        except SendError as exc:
            _failed(record, str(exc))
            report.failure = (
                f"webhook {report.target} (from {WEBHOOK_URL.label()}) failed for alert"
                f" {alert.alert_id}: {exc}; {len(due) - report.delivered} alert(s) stay pending"
                " for the next run"
            )
            state.save()
            return
        _delivered(record, _now())
        report.delivered += 1
        # After each accepted message, so a crash later in the run cannot send it again.
        state.save()


def _write_digest(
    settings: DeliverySettings,
    channel: ChannelState,
    due: list[Alert],
    report: ChannelReport,
    *,
    run_id: str,
    as_of: date,
) -> None:
    assert settings.digest_dir is not None
    if not due:
        return
    try:
        report.files = write_digests(
            due,
            digest_dir=settings.digest_dir,
            run_id=run_id,
            as_of=as_of,
            link_template=settings.link_template,
        )
    except OSError as exc:
        for alert in due:
            _failed(channel.records[alert.alert_id], str(exc))
        report.failure = f"digest folder {settings.digest_dir} could not be written: {exc}"
        return
    now = _now()
    for alert in due:
        _delivered(channel.records[alert.alert_id], now)
    report.delivered = len(due)


def deliver(
    settings: DeliverySettings, *, sleep: Callable[[float], None] = time.sleep
) -> RunReport:
    """Run one delivery under the state folder's lock (raises AlertsError before sending)."""
    run_id = new_build_id()
    with state_mod.locked(settings.state_dir):
        state = state_mod.load(settings.state_dir)
        targets: list[tuple[str, str]] = []
        if settings.webhook_url:
            targets.append((WEBHOOK, describe_url(settings.webhook_url)))
        if settings.digest_dir:
            targets.append((DIGEST, str(settings.digest_dir)))
        pending = {
            alert_id
            for name, _ in targets
            if name in state.channels
            for alert_id in state.channels[name].pending_ids()
        }
        source = read_alerts(
            settings.database, window_days=settings.window_days, also_ids=sorted(pending)
        )
        window_start = source.as_of - timedelta(days=settings.window_days - 1)
        alerts = {alert.alert_id: alert for alert in source.alerts}
        now = _now()
        reports: list[ChannelReport] = []
        due_by_channel: dict[str, list[Alert]] = {}
        for name, target in targets:
            report = ChannelReport(name, target, first_run=name not in state.channels)
            channel = state.channels.setdefault(name, ChannelState(started_at=now))
            since = (
                source.as_of - timedelta(days=settings.first_run_days - 1)
                if report.first_run
                else window_start
            )
            due_by_channel[name] = _discover(channel, alerts, since=since, now=now, report=report)
            channel.prune(state_mod.retention_cutoff(window_start))
            reports.append(report)
        # What is due is on disk before anything is sent.
        state.save()
        for report in reports:
            channel = state.channels[report.channel]
            due = due_by_channel[report.channel]
            if report.channel == WEBHOOK:
                _send_webhook(settings, state, channel, due, report, sleep)
            else:
                _write_digest(settings, channel, due, report, run_id=run_id, as_of=source.as_of)
            report.pending_after = len(channel.pending_ids())
        state.save()
    return RunReport(run_id, source.as_of, source.build_id, window_start, reports)


def report_lines(report: RunReport, database: Path) -> list[str]:
    """What a run did, for people and logs."""
    lines = [
        f"alerts: run {report.run_id}, build as of {report.as_of.isoformat()}"
        f"{f' (build {report.build_id})' if report.build_id else ''} from {database};"
        f" window from {report.window_start.isoformat()}"
    ]
    for channel in report.channels:
        first = " (first run)" if channel.first_run else ""
        lines.append(
            f"  {channel.channel} → {channel.target}{first}: due {channel.due},"
            f" delivered {channel.delivered}, deferred {channel.deferred},"
            f" pending now {channel.pending_after}, skipped {channel.skipped},"
            f" withdrawn {channel.withdrawn}"
        )
        if channel.files:
            lines.append(f"    {len(channel.files) // 2} digest(s) in {channel.files[0].parent}")
        if channel.deferred and not channel.failure:
            lines.append(
                f"    {channel.deferred} alert(s) over {MAX_SENDS.label()} stay pending for the"
                " next run (raise it if this repeats: the backlog grows while alerts outnumber it)"
            )
    return lines


def failure_lines(report: RunReport) -> list[str]:
    return [channel.failure for channel in report.channels if channel.failure]
