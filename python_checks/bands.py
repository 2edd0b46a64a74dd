"""The bands of seed health_bands and the band rule, for Python readers.

The rule is macro in_score_band's (macros/scoring/score_band.sql): a score is in the band whose
whole-number range holds the published score (one decimal) rounded half away from zero, so 60.44
(published 60.4) is in 41-60 and 60.46 (published 60.5) in 61-100. The bands themselves are read
from the seed or from the build's config.health_bands, never written here;
python_checks/tests/test_bands.py holds this rule to the macro's on every day of a build.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np

from python_checks.dbt_runner import PROJECT_DIR

SEEDS_DIR = PROJECT_DIR / "seeds"


@dataclass(frozen=True)
class Band:
    band: str
    band_order: int
    min_score: float
    max_score: float
    description: str = ""


def seed_bands(seeds_dir: Path = SEEDS_DIR) -> tuple[Band, ...]:
    """The bands of seeds/health_bands.csv, lowest first."""
    path = seeds_dir / "health_bands.csv"
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        bands = [
            Band(
                row["band"],
                int(row["band_order"]),
                float(row["min_score"]),
                float(row["max_score"]),
                row.get("description") or "",
            )
            for row in rows
        ]
    except (OSError, KeyError, ValueError) as exc:
        raise ValueError(f"cannot read the bands of {path}: {exc}") from exc
    return tuple(sorted(bands, key=lambda band: band.band_order))


def build_bands(con: duckdb.DuckDBPyConnection) -> tuple[Band, ...]:
    """The bands of a build or a publish, lowest first: its config.health_bands, else (a publish
    that serves no config) the project's seed."""
    row = con.execute(
        "select count(*) from information_schema.tables"
        " where table_schema = 'config' and table_name = 'health_bands'"
    ).fetchone()
    bands = database_bands(con) if row and row[0] else ()
    return bands or seed_bands()


def database_bands(con: duckdb.DuckDBPyConnection) -> tuple[Band, ...]:
    """The bands of a build (config.health_bands), lowest first."""
    rows = con.execute(
        "select band, band_order, min_score, max_score, coalesce(cast(description as varchar), '')"
        " from config.health_bands order by band_order"
    ).fetchall()
    return tuple(Band(str(b), int(o), float(lo), float(hi), str(d)) for b, o, lo, hi, d in rows)


def project_round(values: np.ndarray, digits: int = 0) -> np.ndarray:
    """DuckDB's round(): half away from zero (numpy's round is half to even)."""
    scale = 10.0**digits
    return np.sign(values) * np.floor(np.abs(values) * scale + 0.5) / scale


def band_of(scores: np.ndarray, bands: tuple[Band, ...] | list[Band]) -> np.ndarray:
    """The band of each score by macro in_score_band's rule; None without a score or band."""
    scores = np.asarray(scores, dtype=float)
    whole = project_round(project_round(np.nan_to_num(scores, nan=-1.0), 1))
    out = np.full(len(scores), None, dtype=object)
    for band in bands:
        out[(whole >= band.min_score) & (whole <= band.max_score) & ~np.isnan(scores)] = band.band
    return out
