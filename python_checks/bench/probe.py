"""A dedicated wrapper process around one benchmark step.

`python -m python_checks.bench.probe SPEC.json` runs exactly one child (an isolated dbt run
through python_checks.dbt_runner on the benchmark's copy of the project, or a plain command such
as the floor), times it by wall clock and reads the child's peak resident memory from
getrusage(RUSAGE_CHILDREN). Because the wrapper is new for every step and waits for that one
child only, ru_maxrss is the peak of that step's process tree (the largest single process in it),
not a maximum carried over from earlier steps. The result is written as JSON to the spec's
`result` path.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from python_checks.dbt_runner import run_dbt


def _run(spec: dict[str, Any]) -> int:
    log = Path(spec["log"])
    log.parent.mkdir(parents=True, exist_ok=True)
    if spec["kind"] == "dbt":
        result = run_dbt(
            list(spec["args"]),
            raw_dir=Path(spec["raw_dir"]),
            db_path=Path(spec["db_path"]),
            work_dir=Path(spec["work_dir"]),
            dbt_vars=spec.get("dbt_vars"),
            timeout=float(spec["timeout"]),
            project_dir=Path(spec["project_dir"]),
        )
        log.write_text(result.output)
        return result.returncode
    with log.open("wb") as sink:
        completed = subprocess.run(
            list(spec["command"]),
            cwd=spec.get("cwd"),
            stdout=sink,
            stderr=subprocess.STDOUT,
            timeout=float(spec["timeout"]),
            check=False,
        )
    return completed.returncode


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    spec = json.loads(Path(args[0]).read_text())
    started = time.perf_counter()
    try:
        returncode = _run(spec)
        error = None
    except subprocess.TimeoutExpired as exc:
        returncode, error = -1, f"timed out after {exc.timeout} s"
    seconds = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    Path(spec["result"]).write_text(
        json.dumps(
            {
                "seconds": seconds,
                "returncode": returncode,
                "error": error,
                # Linux reports ru_maxrss in KiB.
                "child_maxrss_kib": usage.ru_maxrss,
                "child_user_seconds": usage.ru_utime,
                "child_system_seconds": usage.ru_stime,
            }
        )
        + "\n"
    )
    return 0 if returncode == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
