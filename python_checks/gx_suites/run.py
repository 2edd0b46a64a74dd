"""Run the suites against a build database and summarise the results (optionally Data Docs).

The marts are read from DuckDB into pandas and validated through an ephemeral GX context with a
pandas datasource: one dataframe asset and whole-dataframe batch definition per suite.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import great_expectations as gx
from great_expectations.core.expectation_validation_result import (
    ExpectationSuiteValidationResult,
    ExpectationValidationResult,
)
from great_expectations.data_context import EphemeralDataContext
from great_expectations.data_context.types.base import (
    DataContextConfig,
    InMemoryStoreBackendDefaults,
    ProgressBarsConfig,
)

from python_checks.gx_suites.frames import load_frames
from python_checks.gx_suites.suites import SUITES, SUITES_BY_NAME, SuiteConfig, expectation_suite

DOCS_SITE = "local_site"
DATASOURCE = "marts"


@dataclass(frozen=True)
class CheckResult:
    suite: str
    check: str
    expectation_type: str
    success: bool
    detail: str
    show_observed: bool = False


@dataclass(frozen=True)
class SuiteResult:
    name: str
    mart: str
    success: bool
    checks: tuple[CheckResult, ...]

    @property
    def failed_checks(self) -> tuple[str, ...]:
        return tuple(check.check for check in self.checks if not check.success)


@dataclass(frozen=True)
class RunSummary:
    database: Path
    suites: tuple[SuiteResult, ...]
    docs_index: Path | None

    @property
    def success(self) -> bool:
        return all(suite.success for suite in self.suites)

    def suite(self, name: str) -> SuiteResult:
        return next(suite for suite in self.suites if suite.name == name)

    def failed(self) -> dict[str, tuple[str, ...]]:
        """Failed check names per failed suite."""
        return {suite.name: suite.failed_checks for suite in self.suites if not suite.success}

    def lines(self) -> list[str]:
        lines = [f"Great Expectations suites on {self.database}"]
        for suite in self.suites:
            status = "PASS" if suite.success else "FAIL"
            passed = sum(check.success for check in suite.checks)
            lines.append(f"  {status} {suite.name}: {passed}/{len(suite.checks)} expectations met")
            for check in suite.checks:
                if not check.success:
                    lines.append(
                        f"       x {check.check} ({check.expectation_type}): {check.detail}"
                    )
                elif check.show_observed:
                    lines.append(f"         {check.check}: {check.detail}")
        failed = sum(not suite.success for suite in self.suites)
        lines.append(
            f"{len(self.suites) - failed} of {len(self.suites)} suites passed"
            + (f"; Data Docs: {self.docs_index}" if self.docs_index else "")
        )
        return lines


def _context(docs_dir: Path | None) -> EphemeralDataContext:
    sites: dict[str, Any] = {}
    if docs_dir is not None:
        sites[DOCS_SITE] = {
            "class_name": "SiteBuilder",
            "store_backend": {
                "class_name": "TupleFilesystemStoreBackend",
                "base_directory": str(docs_dir.resolve()),
            },
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        }
    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(),
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False),
        data_docs_sites=sites,
    )
    return gx.get_context(project_config=config, mode="ephemeral")


def _detail(result: ExpectationValidationResult) -> str:
    if result.exception_info and result.exception_info.get("raised_exception"):
        return f"error: {result.exception_info.get('exception_message')}"
    values = result.result or {}
    if "observed_value" in values:
        observed = values["observed_value"]
        if isinstance(observed, numbers.Real) and not isinstance(observed, numbers.Integral):
            return f"observed {float(observed):.3g}"
        return f"observed {observed}"
    unexpected = values.get("unexpected_count")
    if unexpected is None:
        return ""
    examples = list(values.get("partial_unexpected_list") or [])[:3]
    return f"{unexpected} of {values.get('element_count')} rows unexpected, e.g. {examples}"


def _check_result(suite: str, result: ExpectationValidationResult) -> CheckResult:
    config = result.expectation_config
    meta = (config.meta if config else None) or {}
    return CheckResult(
        suite=suite,
        check=str(meta.get("check", "?")),
        expectation_type=config.type if config else "?",
        success=bool(result.success),
        detail=_detail(result),
        show_observed=bool(meta.get("show_observed")),
    )


def _suite_result(name: str, mart: str, results: ExpectationSuiteValidationResult) -> SuiteResult:
    checks = tuple(_check_result(name, result) for result in results.results)
    return SuiteResult(name, mart, bool(results.success), checks)


def run_suites(
    database: Path,
    *,
    config: SuiteConfig | None = None,
    docs_dir: Path | None = None,
    suites: Iterable[str] | None = None,
) -> RunSummary:
    """Validate the marts in ``database`` (read only); write Data Docs to ``docs_dir`` if set.

    ``suites`` limits the run to some suite names (see suites.SUITES); default all.
    """
    config = config or SuiteConfig.from_seeds()
    specs = [SUITES_BY_NAME[name] for name in suites] if suites else list(SUITES)
    con = duckdb.connect(str(database), read_only=True)
    try:
        data = load_frames(con, config.frame_options, [spec.name for spec in specs])
    finally:
        con.close()

    context = _context(docs_dir)
    datasource = context.data_sources.add_pandas(DATASOURCE)
    results: list[SuiteResult] = []
    for spec in specs:
        batch = datasource.add_dataframe_asset(spec.name).add_batch_definition_whole_dataframe(
            "whole_dataframe"
        )
        suite = context.suites.add(expectation_suite(spec, config))
        validation = context.validation_definitions.add(
            gx.ValidationDefinition(name=spec.name, data=batch, suite=suite)
        )
        outcome = validation.run(batch_parameters={"dataframe": data[spec.name]})
        results.append(_suite_result(spec.name, spec.mart, outcome))

    docs_index = None
    if docs_dir is not None:
        docs_dir.mkdir(parents=True, exist_ok=True)
        context.build_data_docs(site_names=[DOCS_SITE])
        docs_index = docs_dir / "index.html"
    return RunSummary(database, tuple(results), docs_index)
