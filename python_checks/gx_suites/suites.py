"""The expectation suites on the marts, defined in code.

Each suite validates one DataFrame (see frames.py): a mart as stored, or a frame derived from it
for checks across rows. Every expectation carries meta["check"], a short stable name the run
summary and the tests refer to.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import great_expectations as gx
import great_expectations.expectations as gxe
from great_expectations.expectations.expectation import Expectation
from great_expectations.expectations.row_conditions import Column

from python_checks.bands import SEEDS_DIR, Band, seed_bands
from python_checks.gx_suites import frames
from python_checks.gx_suites.seeds import AlertRule, load_alert_rules


@dataclass(frozen=True)
class AlertVolumeBounds:
    """Alerts per account per 30 days a customer-success team can act on.

    Measured over the last ``window_days`` days up to the as-of date, per account-day scored
    (alerts / (account-days / 30)), so accounts that started or churned inside the window count
    for the days they were customers. A quarter smooths the week-to-week noise of a small book
    while still describing the current rules and customers.

    - ``max_per_account_30d = 2.0``: a CSM typically owns a book of about 50 accounts (fewer
      in enterprise, more in SMB). Two alerts per account per month is ~100 alerts a month, ~5
      every working day on top of the CSM's planned work: the most one person can triage and
      follow up. Beyond that alerts stop being read (alert fatigue), which defeats the rules.
      The seed's cool-downs (14-30 days per type, four types) would allow about five per account
      per month, so reaching two means the thresholds fire on most accounts most of the time.
    - ``min_per_account_30d = 0.05``: one alert per 20 accounts per month. B2B SaaS books lose
      roughly 1-2% of logos a month and a larger share is at risk at any time; a rule set that
      flags fewer accounts than that is silent (a broken rule, an impossible threshold, a
      lost join), not reassuring.

    These bounds come from what a team can handle, not from a build's output: the sample build
    (160 generated accounts, seed 7) shows ~0.20 with the tuned rules of seed alert_rules
    (~0.39 before hysteresis), which lies inside them by design, not by fit. Tuning the rules
    is measured by marts.rpt_alert_quality (precision, churns warned early, lead time); this
    bound only says the volume stays readable and that the rules still fire.
    """

    min_per_account_30d: float = 0.05
    max_per_account_30d: float = 2.0
    window_days: int = 90


@dataclass(frozen=True)
class SuiteConfig:
    bands: tuple[Band, ...]
    alert_rules: tuple[AlertRule, ...]
    alert_volume: AlertVolumeBounds = field(default_factory=AlertVolumeBounds)

    @classmethod
    def from_seeds(
        cls, seeds_dir: Path = SEEDS_DIR, alert_volume: AlertVolumeBounds | None = None
    ) -> SuiteConfig:
        return cls(
            bands=seed_bands(seeds_dir),
            alert_rules=load_alert_rules(seeds_dir),
            alert_volume=alert_volume or AlertVolumeBounds(),
        )

    @property
    def frame_options(self) -> frames.FrameOptions:
        return frames.FrameOptions(
            bands=self.bands, alert_window_days=self.alert_volume.window_days
        )


@dataclass(frozen=True)
class SuiteSpec:
    name: str  # the GX suite name, also the name of the frame it validates (frames.py)
    mart: str
    description: str
    expectations: Callable[[SuiteConfig], list[Expectation]]


# Rows whose score or band a manual override set are exempt from band-score consistency.
NOT_OVERRIDDEN = Column("is_override_applied") == False  # noqa: E712


def _named(check: str, expectation: Expectation, *, show_observed: bool = False) -> Expectation:
    """Name the expectation (meta["check"]); show_observed: print its observed value on success."""
    meta = {**(expectation.meta or {}), "check": check}
    if show_observed:
        meta["show_observed"] = True
    expectation.meta = meta
    return expectation


def _score_expectations(*, with_coverage: bool = True) -> list[Expectation]:
    checks: list[Expectation] = [
        _named("health_score_not_null", gxe.ExpectColumnValuesToNotBeNull(column="health_score")),
    ]
    # Nulls pass a range check: sub-scores are documented as null when no signal had data.
    for column in frames.SCORE_COLUMNS:
        checks.append(
            _named(
                f"{column}_in_range",
                gxe.ExpectColumnValuesToBeBetween(column=column, min_value=0, max_value=100),
            )
        )
    if with_coverage:
        checks.append(
            _named(
                "coverage_in_range",
                gxe.ExpectColumnValuesToBeBetween(column="coverage", min_value=0, max_value=1),
            )
        )
    return checks


def _band_expectations(config: SuiteConfig) -> list[Expectation]:
    return [
        _named(
            "health_band_in_seed",
            gxe.ExpectColumnValuesToBeInSet(
                column="health_band", value_set=[band.band for band in config.bands]
            ),
        ),
        _named("health_band_not_null", gxe.ExpectColumnValuesToNotBeNull(column="health_band")),
        _named(
            "override_flag_not_null",
            gxe.ExpectColumnValuesToNotBeNull(column="is_override_applied"),
        ),
        # seed_band: the band of the score by macro in_score_band's rule (python_checks.bands).
        _named(
            "health_band_matches_score",
            gxe.ExpectColumnPairValuesToBeEqual(
                column_A="health_band", column_B="seed_band", row_condition=NOT_OVERRIDDEN
            ),
        ),
    ]


def dim_expectations(config: SuiteConfig) -> list[Expectation]:
    return [
        _named("not_empty", gxe.ExpectTableRowCountToBeBetween(min_value=1)),
        _named("account_id_not_null", gxe.ExpectColumnValuesToNotBeNull(column="account_id")),
        _named("account_id_unique", gxe.ExpectColumnValuesToBeUnique(column="account_id")),
        *_score_expectations(),
        *_band_expectations(config),
        _named(
            "recommended_action_not_null",
            gxe.ExpectColumnValuesToNotBeNull(column="recommended_action"),
        ),
    ]


def dim_active_expectations(config: SuiteConfig) -> list[Expectation]:
    return [
        _named("active_accounts_exist", gxe.ExpectTableRowCountToBeBetween(min_value=1)),
        # Missing (0), duplicated (2+) or stale (scored before the as-of date: 0) all fail.
        _named(
            "one_current_row_per_active_account",
            gxe.ExpectColumnValuesToBeInSet(column="count_current_rows", value_set=[1]),
        ),
    ]


def daily_expectations(config: SuiteConfig) -> list[Expectation]:
    return [
        _named("not_empty", gxe.ExpectTableRowCountToBeBetween(min_value=1)),
        _named("account_id_not_null", gxe.ExpectColumnValuesToNotBeNull(column="account_id")),
        _named("date_day_not_null", gxe.ExpectColumnValuesToNotBeNull(column="date_day")),
        _named(
            "account_day_unique",
            gxe.ExpectCompoundColumnsToBeUnique(column_list=["account_id", "date_day"]),
        ),
        *_score_expectations(),
        *_band_expectations(config),
    ]


def daily_spans_expectations(config: SuiteConfig) -> list[Expectation]:
    return [
        _named("accounts_exist", gxe.ExpectTableRowCountToBeBetween(min_value=1)),
        # Distinct days present == last - first + 1: no day is missing inside a history.
        # (Doubled days are the uniqueness check's business, on the daily suite.)
        _named(
            "no_gaps_in_history",
            gxe.ExpectColumnPairValuesToBeEqual(column_A="count_days", column_B="span_days"),
        ),
    ]


def alerts_expectations(config: SuiteConfig) -> list[Expectation]:
    rules = config.alert_rules
    return [
        _named("alert_id_not_null", gxe.ExpectColumnValuesToNotBeNull(column="alert_id")),
        _named("alert_id_unique", gxe.ExpectColumnValuesToBeUnique(column="alert_id")),
        _named("account_id_not_null", gxe.ExpectColumnValuesToNotBeNull(column="account_id")),
        _named("alerted_on_not_null", gxe.ExpectColumnValuesToNotBeNull(column="alerted_on")),
        _named(
            "alert_type_in_seed",
            gxe.ExpectColumnValuesToBeInSet(
                column="alert_type", value_set=sorted({rule.alert_type for rule in rules})
            ),
        ),
        _named(
            "severity_in_seed",
            gxe.ExpectColumnValuesToBeInSet(
                column="severity", value_set=sorted({rule.severity for rule in rules})
            ),
        ),
        _named(
            "severity_matches_rule",
            gxe.ExpectColumnPairValuesToBeInSet(
                column_A="alert_type",
                column_B="severity",
                value_pairs_set=[(rule.alert_type, rule.severity) for rule in rules],
            ),
        ),
        _named(
            "health_score_in_range",
            gxe.ExpectColumnValuesToBeBetween(column="health_score", min_value=0, max_value=100),
        ),
    ]


def alert_volume_expectations(config: SuiteConfig) -> list[Expectation]:
    bounds = config.alert_volume
    return [
        # The frame has one row: its mean is the rate, and GX reports it as the observed value.
        _named(
            "alert_volume_in_bounds",
            gxe.ExpectColumnMeanToBeBetween(
                column="alerts_per_account_30d",
                min_value=bounds.min_per_account_30d,
                max_value=bounds.max_per_account_30d,
            ),
            show_observed=True,
        ),
        # A null rate (no account-days in the window) would pass the range check silently.
        _named(
            "alert_volume_measured",
            gxe.ExpectColumnValuesToNotBeNull(column="alerts_per_account_30d"),
        ),
    ]


SUITES: tuple[SuiteSpec, ...] = (
    SuiteSpec(
        frames.DIM,
        frames.DIM,
        "Scores and coverage in range, band from the seed, one row per account, an action.",
        dim_expectations,
    ),
    SuiteSpec(
        frames.DIM_ACTIVE,
        frames.DIM,
        "Every account active on the as-of date has exactly one current row.",
        dim_active_expectations,
    ),
    SuiteSpec(
        frames.DAILY,
        frames.DAILY,
        "Scores in range, (account_id, date_day) unique, band from the seed.",
        daily_expectations,
    ),
    SuiteSpec(
        frames.DAILY_SPANS,
        frames.DAILY,
        "No day missing between an account's first and last day.",
        daily_spans_expectations,
    ),
    SuiteSpec(
        frames.ALERTS,
        frames.ALERTS,
        "Alert types and severities from seed alert_rules, scores in range.",
        alerts_expectations,
    ),
    SuiteSpec(
        frames.ALERT_VOLUME,
        frames.ALERTS,
        "Alerts per account per 30 days within what a CS team can handle.",
        alert_volume_expectations,
    ),
)

SUITES_BY_NAME = {spec.name: spec for spec in SUITES}


def expectation_suite(spec: SuiteSpec, config: SuiteConfig) -> gx.ExpectationSuite:
    """A fresh (unsaved) GX suite holding the spec's expectations."""
    return gx.ExpectationSuite(
        name=spec.name,
        expectations=spec.expectations(config),
        meta={"mart": spec.mart},
        notes=spec.description,
    )
