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
# How often the running step's spill folder is measured (a short step may spill briefly).
SAMPLE_INTERVAL_SECONDS = 1.0

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
    # Largest size of the step's DuckDB temp folder while it ran (None: no folder was watched).
    peak_spill_mib: float | None = None

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
            "peak_spill_mib": None
            if self.peak_spill_mib is None
            else round(self.peak_spill_mib, 1),
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

    def __init__(
        self,
        reason: str,
        seconds: float = 0.0,
        log: Path | None = None,
        peak_spill_mib: float | None = None,
    ) -> None:
        super().__init__(reason)
        self.seconds = seconds
        self.log = log
        self.peak_spill_mib = peak_spill_mib

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
            peak_spill_mib=self.peak_spill_mib,
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


def folder_mib(folder: Path) -> float:
    """Disk space the files under ``folder`` take (allocated blocks; 0 when it is absent).
    Files that vanish while it is walked (DuckDB drops spill files as it goes) are skipped."""
    total = 0
    stack = [folder]
    while stack:
        try:
            entries = list(os.scandir(stack.pop()))
        except OSError:
            continue
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(Path(entry.path))
                else:
                    total += entry.stat(follow_symlinks=False).st_blocks * 512
            except OSError:
                continue
    return total / 2**20


class SpillWatch:
    """The peak size of a step's DuckDB temp folder, sampled while the step runs."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.peak_mib: float | None = None if folder is None else 0.0

    def sample(self) -> None:
        if self.folder is not None:
            self.peak_mib = max(self.peak_mib or 0.0, folder_mib(self.folder))


def _run_guarded(command: list[str], guard: Guard | None, spill: SpillWatch | None = None) -> None:
    """Run ``command`` in its own process group, sampling ``spill`` every second; stop the
    whole group when ``guard`` (polled every few seconds) objects."""
    spill = spill or SpillWatch(None)
    process = subprocess.Popen(command, cwd=PROJECT_DIR, start_new_session=True)
    last_guard = time.monotonic()
    while True:
        try:
            process.wait(timeout=SAMPLE_INTERVAL_SECONDS)
            return
        except subprocess.TimeoutExpired:
            spill.sample()
            if time.monotonic() - last_guard < GUARD_INTERVAL_SECONDS:
                continue
            last_guard = time.monotonic()
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
    spec: dict[str, Any],
    step_dir: Path,
    label: str,
    guard: Guard | None = None,
    spill_dir: Path | None = None,
) -> Measurement:
    """Run one step (a probe spec without its log/result paths) and measure it; ``guard`` is
    polled while it runs and may stop it (StepStopped); ``spill_dir``, the step's DuckDB temp
    folder, is measured while it runs (its peak is the step's spill)."""
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
    spill = SpillWatch(spill_dir)
    started = time.perf_counter()
    try:
        _run_guarded(command, guard, spill)
    except StepStopped as exc:
        raise StepStopped(
            str(exc), time.perf_counter() - started, Path(spec["log"]), spill.peak_mib
        ) from None
    outer_seconds = time.perf_counter() - started
    if not result_path.exists():
        return Measurement(
            outer_seconds,
            0.0,
            "none",
            -1,
            Path(spec["log"]),
            0.0,
            "the probe wrote no result",
            peak_spill_mib=spill.peak_mib,
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
        peak_spill_mib=spill.peak_mib,
    )
