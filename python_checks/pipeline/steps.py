"""The pipeline's steps after the build, shared by the cron runner and the Dagster assets."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from python_checks.dbt_runner import PROJECT_DIR

# A send is bounded by the alerts tool's own timeouts; this only stops a hung delivery from
# holding the pipeline lock forever.
ALERTS_TIMEOUT_SECONDS = 900
OUTPUT_TAIL_CHARS = 4000
# The alerts tool's exit code for "a send failed, the alerts stay pending" (2: it could not run).
EXIT_SEND_FAILED = 1


def alert_command(served_db: Path, state_dir: Path) -> list[str]:
    """`python -m python_checks.alerts deliver` on the served database. The webhook, digest
    folder and link template come from the ALERT_* environment variables."""
    return [
        sys.executable,
        "-m",
        "python_checks.alerts",
        "deliver",
        "--database",
        str(served_db),
        "--state-dir",
        str(state_dir),
    ]


@dataclass(frozen=True)
class Delivery:
    """One run of the alerts tool."""

    command: list[str]
    returncode: int
    output: str

    @property
    def tail(self) -> str:
        return self.output[-OUTPUT_TAIL_CHARS:]


class AlertDeliveryError(RuntimeError):
    """The alerts tool exited non-zero: a send failed (the alerts stay pending and the next run
    retries them) or it could not run."""

    def __init__(self, delivery: Delivery) -> None:
        self.delivery = delivery
        consequence = (
            "a send failed; the undelivered alerts stay pending and the next run retries them"
            if delivery.returncode == EXIT_SEND_FAILED
            else "it did not deliver"
        )
        super().__init__(
            f"alert delivery failed (exit code {delivery.returncode}) running "
            f"`python {' '.join(delivery.command[1:])}`: {consequence}. Its output:\n"
            f"{delivery.tail}"
        )


def deliver_alerts(served_db: Path, state_dir: Path) -> Delivery:
    """Deliver the alerts due in the served database; raise AlertDeliveryError unless the
    tool exits 0 (everything due delivered, or nothing due)."""
    command = alert_command(served_db, state_dir)
    try:
        completed = subprocess.run(
            command,
            cwd=PROJECT_DIR,
            capture_output=True,
            text=True,
            timeout=ALERTS_TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        output = (exc.stdout or "") if isinstance(exc.stdout, str) else ""
        delivery = Delivery(command, -1, output + f"\n(stopped after {exc.timeout:.0f} s)")
        raise AlertDeliveryError(delivery) from exc
    delivery = Delivery(command, completed.returncode, completed.stdout + completed.stderr)
    if completed.returncode != 0:
        raise AlertDeliveryError(delivery)
    return delivery
