"""Time one step and read its peak memory: each step runs in its own wrapper process
(python_checks.bench.probe), under GNU `/usr/bin/time -v` when the machine has it."""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from python_checks.dbt_runner import PROJECT_DIR

GNU_TIME = Path("/usr/bin/time")
_MAXRSS = re.compile(r"Maximum resident set size \(kbytes\):\s*(\d+)")
_ELAPSED = re.compile(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\):\s*([\d:.]+)")
GUARD_INTERVAL_SECONDS = 5.0

# Called every few seconds while a step runs; a non-empty answer stops the step (e.g. low disk).
Guard = Callable[[], str | None]


@dataclass(frozen=True)
class Measurement:
    """One run of one step."""

    seconds: float
    peak_mib: float
    memory_method: str
    returncode: int
    log: Path
    cpu_seconds: float
    error: str | None = None
    probe_peak_mib: float | None = None
    gnu_time_seconds: float | None = None

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    def as_dict(self) -> dict[str, object]:
        return {
            "seconds": round(self.seconds, 3),
            "peak_mib": round(self.peak_mib, 1),
            "memory_method": self.memory_method,
            "returncode": self.returncode,
            "cpu_seconds": round(self.cpu_seconds, 3),
            "probe_peak_mib": None
            if self.probe_peak_mib is None
            else round(self.probe_peak_mib, 1),
            "gnu_time_seconds": self.gnu_time_seconds,
            "error": self.error,
            "log": str(self.log),
        }

    def log_tail(self, chars: int = 3000) -> str:
        try:
            return self.log.read_text(errors="replace")[-chars:]
        except OSError:
            return ""


class StepStopped(RuntimeError):
    """A guard stopped a running step; the message says why."""

    def __init__(self, reason: str, seconds: float = 0.0, log: Path | None = None) -> None:
        super().__init__(reason)
        self.seconds = seconds
        self.log = log

    def measurement(self) -> Measurement:
        """What is known of the stopped run: its time so far (its peak memory is not)."""
        return Measurement(
            seconds=self.seconds,
            peak_mib=0.0,
            memory_method="none (stopped)",
            returncode=-1,
            log=self.log or Path(),
            cpu_seconds=0.0,
            error=str(self),
        )


@functools.cache
def gnu_time_available() -> bool:
    """Is /usr/bin/time GNU time with -v (Debian package `time`; not always installed)?"""
    if not GNU_TIME.exists() or shutil.which(str(GNU_TIME)) is None:
        return False
    try:
        probe = subprocess.run(
            [str(GNU_TIME), "-v", "true"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return probe.returncode == 0 and _MAXRSS.search(probe.stderr) is not None


def _seconds(elapsed: str) -> float:
    total = 0.0
    for part in elapsed.split(":"):
        total = total * 60 + float(part)
    return total


def _run_guarded(command: list[str], guard: Guard | None) -> None:
    """Run ``command`` in its own process group; stop the whole group when ``guard`` objects."""
    process = subprocess.Popen(command, cwd=PROJECT_DIR, start_new_session=True)
    while True:
        try:
            process.wait(timeout=GUARD_INTERVAL_SECONDS)
            return
        except subprocess.TimeoutExpired:
            reason = guard() if guard is not None else None
            if reason:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()
                raise StepStopped(reason) from None


def run_measured(
    spec: dict[str, Any], step_dir: Path, label: str, guard: Guard | None = None
) -> Measurement:
    """Run one step (a probe spec without its log/result paths) and measure it; ``guard`` is
    polled while it runs and may stop it (StepStopped)."""
    step_dir.mkdir(parents=True, exist_ok=True)
    spec = {
        **spec,
        "log": str(step_dir / f"{label}.log"),
        "result": str(step_dir / f"{label}.result.json"),
    }
    spec_path = step_dir / f"{label}.spec.json"
    spec_path.write_text(json.dumps(spec, indent=2) + "\n")
    result_path = Path(spec["result"])
    result_path.unlink(missing_ok=True)
    command = [sys.executable, "-m", "python_checks.bench.probe", str(spec_path)]
    time_path = step_dir / f"{label}.time.txt"
    use_gnu_time = gnu_time_available()
    if use_gnu_time:
        command = [str(GNU_TIME), "-v", "-o", str(time_path), *command]
    started = time.perf_counter()
    try:
        _run_guarded(command, guard)
    except StepStopped as exc:
        raise StepStopped(str(exc), time.perf_counter() - started, Path(spec["log"])) from None
    outer_seconds = time.perf_counter() - started
    if not result_path.exists():
        return Measurement(
            outer_seconds, 0.0, "none", -1, Path(spec["log"]), 0.0, "the probe wrote no result"
        )
    probe = json.loads(result_path.read_text())
    probe_mib = probe["child_maxrss_kib"] / 1024
    peak_mib, method, gnu_seconds = probe_mib, "probe getrusage(RUSAGE_CHILDREN)", None
    if use_gnu_time and time_path.exists():
        text = time_path.read_text()
        rss, elapsed = _MAXRSS.search(text), _ELAPSED.search(text)
        if rss:
            peak_mib, method = int(rss.group(1)) / 1024, "/usr/bin/time -v"
        if elapsed:
            gnu_seconds = round(_seconds(elapsed.group(1)), 2)
    return Measurement(
        seconds=float(probe["seconds"]),
        peak_mib=peak_mib,
        memory_method=method,
        returncode=int(probe["returncode"]),
        log=Path(spec["log"]),
        cpu_seconds=float(probe["child_user_seconds"]) + float(probe["child_system_seconds"]),
        error=probe.get("error"),
        probe_peak_mib=probe_mib,
        gnu_time_seconds=gnu_seconds,
    )
