"""The benchmark's tables, printed from the JSON documents it writes (bench_<accounts>.json):
one table per scale, the slowest models, and growth across scales."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

Doc = dict[str, Any]


def load_doc(path: Path) -> Doc:
    doc: Doc = json.loads(path.read_text())
    return doc


def _num(value: float | None, fmt: str) -> str:
    return "-" if value is None else format(value, fmt)


def _table(header: list[str], rows: list[list[str]], right: set[int]) -> list[str]:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "  ".join(
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    return [line(header), line(["-" * w for w in widths]), *(line(r) for r in rows)]


def _steps(doc: Doc) -> dict[str, Doc]:
    return {step["step"]: step for step in doc["steps"]}


def _seconds(doc: Doc, name: str) -> float | None:
    step = _steps(doc).get(name)
    return None if step is None or not step["ok"] else step["seconds"]


def _loads(values: list[float] | None) -> str:
    return "-" if not values else ", ".join(f"{x:.1f}" for x in values)


def _range(samples: list[float]) -> str:
    return "-" if len(samples) < 2 else f"{min(samples):.1f}-{max(samples):.1f}"


def per_10x(small: float | None, large: float | None, data_factor: float) -> float | None:
    """How much a figure grows per 10x data, from its values at two sizes ``data_factor``
    apart (10 for linear growth at 10x data, whatever the two sizes are)."""
    if not small or not large or small <= 0 or large <= 0 or data_factor <= 1:
        return None
    return float((large / small) ** (1 / math.log10(data_factor)))


# The headline ratios: (key in doc["ratios"], label).
HEADLINE_RATIOS = (
    ("full_run_over_history_floor", "full build (models only) / history floor"),
    ("incremental_over_floor", "daily run / day floor"),
    ("weight_change_over_full_run", "weight change / full build (models only)"),
)


def scale_table(doc: Doc) -> list[str]:
    """step, seconds (median, and min-max over its runs), peak MiB (max), peak temp spill,
    rows, ratio to the full build (models only)."""
    rows = []
    for step in doc["steps"]:
        status = "" if step["ok"] else "  STOPPED" if step.get("stopped") else "  FAILED"
        samples = [float(x) for x in step.get("seconds_samples", [])]
        rows.append(
            [
                step["title"] + status,
                str(len(step["samples"])),
                _num(step["seconds"], ".1f"),
                _range(samples),
                _num(step["peak_mib"], ",.0f"),
                # Results written before spill was recorded have no such key.
                _num(step.get("peak_spill_mib"), ",.0f"),
                _num(step["rows"], ","),
                step["rows_what"],
                _num(step["ratio_to_full_run"], ".3f"),
            ]
        )
    lines = [
        f"{doc['accounts']:,} accounts (seed {doc['seed']}): median of each step's runs;"
        f" load average (1, 5, 15 min) at start {_loads(doc['load_avg_start'])},"
        f" at end {_loads(doc['load_avg_end'])}; {doc['host']['cpus']} CPUs",
        *_table(
            [
                "step",
                "runs",
                "seconds",
                "min-max",
                "peak MiB",
                "spill MiB",
                "rows",
                "rows of",
                "ratio",
            ],
            rows,
            right={1, 2, 3, 4, 5, 6, 8},
        ),
        "  (seconds: median wall clock; peak MiB: largest resident set of the step's process;"
        " spill MiB: largest size of its DuckDB temp folder, sampled every second;"
        " ratio: seconds / full build models only; the incremental step's runs are consecutive"
        " days)",
    ]
    ratios, steps = doc["ratios"], _steps(doc)
    if ratios["full_run_over_floor"]:
        with_tests = ratios["full_build_over_floor"]
        lines.append(
            f"full build / floor: {ratios['full_run_over_floor']:.1f}x (models only)"
            + (f", {with_tests:.1f}x (with tests)" if with_tests else "")
        )
        versus = steps["floor"].get("versus_dbt")
        if versus:
            lines.append(
                f"floor vs dbt on the as-of day: {versus['accounts_in_both']:,} accounts in both,"
                f" {versus['only_in_dbt']} only in dbt, {versus['only_in_floor']} only in the"
                f" floor; score correlation {versus['score_correlation']},"
                f" mean |difference| {versus['mean_abs_score_difference']} points"
            )
    if ratios["incremental_over_full_run"]:
        with_tests = ratios["incremental_over_full_build"]
        daily = [float(x) for x in steps["incremental"].get("seconds_samples", [])]
        full = _seconds(doc, "full_run")
        slowest = (
            f"; slowest of {len(daily)} daily runs {max(daily) / full:.3f}"
            if len(daily) > 1 and full
            else ""
        )
        lines.append(
            f"incremental / full build: {ratios['incremental_over_full_run']:.3f} (models only)"
            + (f", {with_tests:.3f} (with tests)" if with_tests else "")
            + slowest
        )
    # Results written before this ratio existed have no such key: no line for them.
    daily_over_floor = ratios.get("incremental_over_floor")
    if daily_over_floor:
        lines.append(
            f"incremental / floor: {daily_over_floor:.1f}x (both end with today's score for"
            " every account; the daily run also rewrites the lookback days and every mart)"
        )
    history = ratios.get("full_run_over_history_floor")
    if history:
        with_tests = ratios.get("full_build_over_history_floor")
        lines.append(
            f"full build / history floor: {history:.1f}x (models only)"
            + (f", {with_tests:.1f}x (with tests)" if with_tests else "")
            + " (both score every account-day of the whole history)"
        )
        versus = steps["history_floor"].get("versus_dbt")
        if versus:
            lines.append(
                f"history floor vs dbt: {versus['account_days_in_both']:,} account-days in both,"
                f" {versus['only_in_dbt']:,} only in dbt, {versus['only_in_floor']:,} only in"
                f" the floor; score correlation {versus['score_correlation']}, mean |difference|"
                f" {versus['mean_abs_score_difference']} points, same band"
                f" {_num(versus['band_agreement'], '.1%')}"
            )
    weight = ratios.get("weight_change_over_full_run")
    if weight:
        with_tests = ratios.get("weight_change_over_full_build")
        change = steps["weight_change"]
        edit = change.get("weight_edit", {})
        lines.append(
            f"weight change / full build: {weight:.3f} (models only)"
            + (f", {with_tests:.3f} (with tests)" if with_tests else "")
            + f"; {edit.get('dimension')} weights of the {edit.get('stage')} stage"
            f" x{edit.get('factor')}, {_num(change['rows'], ',')} account-day scores changed"
        )
    tests = steps.get("full_build", {}).get("tests")
    if tests:
        lines.append(
            "tests of the build: " + ", ".join(f"{k} {v}" for k, v in sorted(tests.items()))
        )
    if doc["aborted"]:
        lines.append(f"STOPPED: {doc['aborted']}")
    return lines


def slowest_table(doc: Doc) -> list[str]:
    models = doc["slowest_models"]
    if not models:
        return []
    rows = [
        [
            str(i),
            m["model"],
            f"{m['seconds']:.1f}",
            f"{100 * m['share']:.1f}%",
            _num(m["rows"], ","),
        ]
        for i, m in enumerate(models, start=1)
    ]
    source = str(doc.get("slowest_models_source", ""))
    where = (
        "dbt.log, models finished before the stop"
        if "dbt.log" in source
        else "dbt run_results.json execution_time"
    )
    threads = int(dict(doc.get("duckdb_settings") or {}).get("threads", 1))
    overlap = f"; {threads} dbt threads overlap" if threads > 1 else ""
    return [
        f"{len(models)} slowest models of the full build ({doc['accounts']:,} accounts;"
        f" {where}{overlap}):",
        *_table(["#", "model", "seconds", "share", "rows"], rows, right={0, 2, 3, 4}),
    ]


def growth_table(docs: list[Doc]) -> list[str]:
    """Seconds and peak memory of each step at each scale, and how they grow with the data."""
    if len(docs) < 2:
        return []
    docs = sorted(docs, key=lambda d: d["accounts"])
    first, last = docs[0], docs[-1]
    header = ["step"]
    for doc in docs:
        header += [f"{doc['accounts']:,} s", f"{doc['accounts']:,} MiB"]
    factor = last["accounts"] / first["accounts"]
    header += [f"time x (data x{factor:g})", "time /10x", "MiB /10x", "spill /10x"]
    names: list[str] = []
    for doc in docs:
        names += [s["step"] for s in doc["steps"] if s["step"] not in names]
    rows = []
    for name in names:
        row = [name]
        for doc in docs:
            step = _steps(doc).get(name)
            failed = "!" if step is not None and not step["ok"] else ""
            row += [
                _num(None if step is None else step["seconds"], ".1f") + failed,
                _num(None if step is None else step["peak_mib"], ",.0f"),
            ]
        a, b = _seconds(first, name), _seconds(last, name)
        row.append(_num(b / a if a and b else None, ".1f"))
        small, large = _steps(first).get(name, {}), _steps(last).get(name, {})
        row += [
            _num(per_10x(a, b, factor), ".1f"),
            _num(per_10x(small.get("peak_mib"), large.get("peak_mib"), factor), ".1f"),
            _num(per_10x(small.get("peak_spill_mib"), large.get("peak_spill_mib"), factor), ".1f"),
        ]
        rows.append(row)
    notes = [
        f"  {doc['accounts']:,} accounts: incremental / full build"
        f" {_num(doc['ratios']['incremental_over_full_run'], '.3f')},"
        f" with tests / models only {_num(doc['ratios']['full_build_over_full_run'], '.2f')},"
        f" full build / floor {_num(doc['ratios']['full_run_over_floor'], '.1f')}x,"
        f" load at start {_loads(doc['load_avg_start'])}"
        for doc in docs
    ]
    ratio_rows = []
    for key, label in HEADLINE_RATIOS:
        values = [doc["ratios"].get(key) for doc in docs]
        ratio_rows.append(
            [
                label,
                *(_num(v, ".3f") for v in values),
                _num(per_10x(values[0], values[-1], factor), ".2f"),
            ]
        )
    return [
        "Growth with data size (median seconds, peak MiB; ! = the step failed;"
        " /10x: growth per 10x data, 10 = linear):",
        *_table(header, rows, set(range(1, len(header)))),
        *notes,
        "",
        "Headline ratios by data size (/10x: how the ratio grows per 10x data, 1 = steady):",
        *_table(
            ["ratio", *(f"{doc['accounts']:,}" for doc in docs), "/10x"],
            ratio_rows,
            set(range(1, len(docs) + 2)),
        ),
    ]
